namespace IscsiNative.Initiator;

/// <summary>Reads <c>/etc/iscsi/initiatorname.iscsi</c> the way iscsid does (usr/iscsi_util.c <c>cfg_get_string_param</c>).</summary>
internal static class InitiatorNameFile
{
    /// <summary>
    /// The value of the first non-comment line holding <c>InitiatorName</c>: text before '=' is ignored and
    /// whitespace stripped.
    /// </summary>
    /// <returns>The name, or null when the file has no such line.</returns>
    internal static string? Parse(string text)
    {
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int key = line.IndexOf("InitiatorName", StringComparison.Ordinal);
            int eq = line.IndexOf('=');
            if (key < 0 || eq < key)
            {
                continue;
            }

            string value = string.Concat(line.AsSpan(eq + 1).ToString().Where(c => !char.IsWhiteSpace(c)));
            return value.Length == 0 ? null : value;
        }

        return null;
    }

    /// <summary>The explicit name or the one from the file.</summary>
    /// <param name="explicitName">The name the caller gave (LoginOptions.InitiatorName), if any.</param>
    /// <param name="file">The initiatorname.iscsi file to read otherwise.</param>
    /// <exception cref="InvalidOperationException">No name given and none found in the file.</exception>
    internal static string Resolve(string? explicitName, string file)
    {
        if (!string.IsNullOrEmpty(explicitName))
        {
            return explicitName;
        }

        string? name = null;
        try
        {
            name = Parse(File.ReadAllText(file));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"No initiator name: set LoginOptions.InitiatorName or write InitiatorName=... to {file} ({e.Message}).", e);
        }

        return name ?? throw new InvalidOperationException($"No initiator name: {file} has no InitiatorName= line; set LoginOptions.InitiatorName.");
    }
}
