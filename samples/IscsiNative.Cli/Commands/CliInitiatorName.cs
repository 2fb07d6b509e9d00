namespace IscsiNative.Cli.Commands;

/// <summary>The initiator name the CLI logs in with: the <c>InitiatorName=</c> line of /etc/iscsi/initiatorname.iscsi, as iscsid reads it.</summary>
internal static class CliInitiatorName
{
    /// <summary>The file's name, or null when the file is missing or has none.</summary>
    internal static string? TryRead(string path = "/etc/iscsi/initiatorname.iscsi")
    {
        try
        {
            foreach (string raw in File.ReadLines(path))
            {
                string line = raw.Trim();
                int key = line.IndexOf("InitiatorName", StringComparison.Ordinal);
                int eq = line.IndexOf('=');
                if (line.StartsWith('#') || key < 0 || eq < key)
                {
                    continue;
                }

                string value = line[(eq + 1)..].Trim();
                return value.Length == 0 ? null : value;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }
}
