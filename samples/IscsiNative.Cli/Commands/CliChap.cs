using System.CommandLine;
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

    internal Option<string?> User { get; } = new("--chap-user") { Description = "CHAP username (node.session.auth.username)." };

    internal Option<string?> Password { get; } = new("--chap-password") { Description = $"CHAP secret; prefer the {PasswordVariable} environment variable." };

    internal Option<string?> UserIn { get; } = new("--chap-user-in") { Description = "Mutual CHAP: the target's username (username_in)." };

    internal Option<string?> PasswordIn { get; } = new("--chap-password-in") { Description = $"Mutual CHAP: the target's secret; prefer {PasswordInVariable}." };

    internal void AddTo(Command command)
    {
        command.Options.Add(User);
        command.Options.Add(Password);
        command.Options.Add(UserIn);
        command.Options.Add(PasswordIn);
    }

    /// <summary>The credentials, or null without a username.</summary>
    /// <exception cref="ArgumentException">A username without a secret, or mutual CHAP half given.</exception>
    internal ChapCredentials? Read(ParseResult parse)
    {
        string? user = parse.GetValue(User);
        if (string.IsNullOrEmpty(user))
        {
            return null;
        }

        string password = parse.GetValue(Password) ?? Environment.GetEnvironmentVariable(PasswordVariable)
            ?? throw new ArgumentException($"--chap-user needs --chap-password or {PasswordVariable}");
        string? userIn = parse.GetValue(UserIn);
        if (string.IsNullOrEmpty(userIn))
        {
            return ChapCredentials.OneWay(user, password);
        }

        string passwordIn = parse.GetValue(PasswordIn) ?? Environment.GetEnvironmentVariable(PasswordInVariable)
            ?? throw new ArgumentException($"--chap-user-in needs --chap-password-in or {PasswordInVariable}");
        return ChapCredentials.Mutual(user, password, userIn, passwordIn);
    }
}
