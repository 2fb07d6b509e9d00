using IscsiNative.VmTests.Infrastructure;

namespace IscsiNative.VmTests.Protocol;

/// <summary>
/// LIO's discovery CHAP (configfs <c>iscsi/discovery_auth</c>): credentials plus <c>enforce_discovery_auth=1</c>.
/// Dispose turns enforcement off and clears the credentials ("NULL" unsets a LIO auth string), as LIO starts.
/// </summary>
internal sealed class LioDiscoveryAuth : IDisposable
{
    internal const string Directory = LioTarget.ConfigfsRoot + "/iscsi/discovery_auth";

    internal LioDiscoveryAuth(ChapCredentials chap)
    {
        try
        {
            Configfs.Write(Path.Combine(Directory, "userid"), chap.UserId);
            Configfs.Write(Path.Combine(Directory, "password"), chap.Password);
            if (chap.IsMutual)
            {
                Configfs.Write(Path.Combine(Directory, "userid_mutual"), chap.MutualUserId!);
                Configfs.Write(Path.Combine(Directory, "password_mutual"), chap.MutualPassword!);
            }

            Configfs.Write(Path.Combine(Directory, "enforce_discovery_auth"), "1");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach ((string name, string value) in new[]
        {
            ("enforce_discovery_auth", "0"), ("userid", "NULL"), ("password", "NULL"), ("userid_mutual", "NULL"), ("password_mutual", "NULL"),
        })
        {
            try
            {
                Configfs.Write(Path.Combine(Directory, name), value);
            }
            catch (IOException e)
            {
                Console.Error.WriteLine($"LioDiscoveryAuth: could not reset {name}: {e.Message}");
            }
        }
    }
}
