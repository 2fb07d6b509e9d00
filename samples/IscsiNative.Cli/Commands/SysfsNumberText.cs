namespace IscsiNative.Cli.Commands;

/// <summary>C's atoi for option values, as iscsiadm parses <c>-P</c>.</summary>
internal static class SysfsNumberText
{
    internal static long Atoi(string text)
    {
        int i = 0;
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        bool negative = i < text.Length && text[i] == '-';
        if (i < text.Length && (text[i] == '-' || text[i] == '+'))
        {
            i++;
        }

        long value = 0;
        for (; i < text.Length && text[i] is >= '0' and <= '9' && value < int.MaxValue; i++)
        {
            value = (value * 10) + (text[i] - '0');
        }

        return negative ? -value : value;
    }
}
