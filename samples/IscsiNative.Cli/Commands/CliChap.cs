using IscsiNative.Protocol;

namespace IscsiNative.Cli.Commands;

/// <summary>
/// CHAP options shared by discovery and node login. Passwords may come from the environment
/// (<see cref="PasswordVariable"/>, <see cref="PasswordInVariable"/>) to keep them off the process list; they are never printed.
/// </summary>
internal sealed class CliChap
{
    /// <summary>Environment variable holding the initiator's CHAP secret.</summary>
    internal const string PasswordVariable = "ISCSINAT_CHAP_PASSWORD";

    /// <summary>Environment variable holding the target's (mutual CHAP) secret.</summary>
    internal const string PasswordInVariable = "ISCSINAT_CHAP_PASSWORD_IN";

    internal SubOption User { get; } = new("--chap-user", null, "CHAP username (node.session.auth.username).");

    internal SubOption Password { get; } = new("--chap-password", null, $"CHAP secret; prefer the {PasswordVariable} environment variable.");

    internal SubOption UserIn { get; } = new("--chap-user-in", null, "Mutual CHAP: the target's username (username_in).");

    internal SubOption PasswordIn { get; } = new("--chap-password-in", null, $"Mutual CHAP: the target's secret; prefer {PasswordInVariable}.");

    /// <summary>Gets the four options, for the command's option list.</summary>
    internal SubOption[] Options => [User, Password, UserIn, PasswordIn];

    /// <summary>The credentials, or null without a username.</summary>
    /// <exception cref="ArgumentException">A username without a secret, or mutual CHAP half given.</exception>
    internal ChapCredentials? Read()
    {
        string? user = User.Value;
        if (string.IsNullOrEmpty(user))
        {
            return null;
        }

        string password = Password.Value ?? Environment.GetEnvironmentVariable(PasswordVariable)
            ?? throw new ArgumentException($"--chap-user needs --chap-password or {PasswordVariable}");
        string? userIn = UserIn.Value;
        if (string.IsNullOrEmpty(userIn))
        {
            return ChapCredentials.OneWay(user, password);
        }

        string passwordIn = PasswordIn.Value ?? Environment.GetEnvironmentVariable(PasswordInVariable)
            ?? throw new ArgumentException($"--chap-user-in needs --chap-password-in or {PasswordInVariable}");
        return ChapCredentials.Mutual(user, password, userIn, passwordIn);
    }
}
