using IscsiNative.Nodes;
using Microsoft.Extensions.Options;

namespace IscsiNative.Hosting;

/// <summary>Checks <see cref="IscsiNativeHostingOptions"/> at start, with one message per bad setting naming the key.</summary>
internal sealed class IscsiNativeHostingOptionsValidator : IValidateOptions<IscsiNativeHostingOptions>
{
    public ValidateOptionsResult Validate(string? name, IscsiNativeHostingOptions options)
    {
        var failures = new List<string>();
        void Absolute(string key, string? path)
        {
            if (string.IsNullOrWhiteSpace(path) || !Path.IsPathFullyQualified(path))
            {
                failures.Add($"IscsiNative:{key} must be an absolute path (got '{path}').");
            }
        }

        Absolute(nameof(options.DatabaseRoot), options.DatabaseRoot);
        Absolute(nameof(options.ConfigDirectory), options.ConfigDirectory);
        Absolute(nameof(options.DatabaseLockDirectory), options.DatabaseLockDirectory);
        Absolute(nameof(options.OwnershipLockDirectory), options.OwnershipLockDirectory);
        if (options.MaxParallelLogins is < 1 or > 64)
        {
            failures.Add($"IscsiNative:MaxParallelLogins must be 1..64 (got {options.MaxParallelLogins}).");
        }

        if (options.StartTimeout < TimeSpan.FromSeconds(1) || options.StartTimeout > TimeSpan.FromHours(1))
        {
            failures.Add($"IscsiNative:StartTimeout must be between 00:00:01 and 01:00:00 (got {options.StartTimeout}).");
        }

        if (options.LogoutTimeout < TimeSpan.FromSeconds(1) || options.LogoutTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"IscsiNative:LogoutTimeout must be between 00:00:01 and 00:05:00 (got {options.LogoutTimeout}).");
        }

        foreach (IscsiNodeStartupFilter filter in options.Restore ?? [])
        {
            if (!Enum.IsDefined(filter))
            {
                failures.Add($"IscsiNative:Restore has an unknown startup class ({(int)filter}); use Automatic, OnBoot or All.");
            }
            else if (filter == IscsiNodeStartupFilter.Manual)
            {
                failures.Add("IscsiNative:Restore must not contain Manual: it matches every node (conn[0].startup defaults to manual); use Automatic, OnBoot or All.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
