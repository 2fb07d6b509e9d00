using System.Security.Cryptography;
using IscsiNative.Initiator;
using IscsiNative.VmTests.Infrastructure;
using IscsiNative.Sysfs;

namespace IscsiNative.VmTests.Login;

/// <summary>Data written through a library session's block device survives logout and a fresh login.</summary>
public sealed class KernelDataVmTests
{
    private const int DataBytes = 64 * 1024 * 1024;

    [VmFact]
    public async Task Random_64_MiB_written_through_the_block_device_read_back_identical_after_logout_and_fresh_login()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using LioTarget target = LoginVm.Target(nameof(Random_64_MiB_written_through_the_block_device_read_back_identical_after_logout_and_fresh_login), lunBytes: 72L * 1024 * 1024);
        using var initiator = new IscsiInitiator();
        byte[] data = new byte[DataBytes];
        Random.Shared.NextBytes(data);
        byte[] expected = SHA256.HashData(data);

        IscsiSession session = await initiator.LoginAsync(target.Iqn, LoginVm.Portal, LoginVm.Options(), ct);
        string disk = LoginVm.AssertDisk(session);
        using (var stream = new FileStream(disk, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1 << 20, FileOptions.WriteThrough))
        {
            await stream.WriteAsync(data, ct);
            stream.Flush(flushToDisk: true);
        }

        await initiator.LogoutAsync(session, ct);
        LoginVm.AssertGone(session.Sid, session.HostNumber);
        await File.WriteAllTextAsync("/proc/sys/vm/drop_caches", "3", ct);

        // The target's backing file holds the data (it reached LIO, not only a page cache).
        using (var backing = new FileStream(target.BackingFiles[0], FileMode.Open, FileAccess.Read))
        {
            Assert.Equal(expected, await HashPrefixAsync(backing, ct));
        }

        IscsiSession again = await initiator.LoginAsync(target.Iqn, LoginVm.Portal, LoginVm.Options(), ct);
        try
        {
            string disk2 = LoginVm.AssertDisk(again);
            using var stream = new FileStream(disk2, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20);
            Assert.Equal(expected, await HashPrefixAsync(stream, ct));
        }
        finally
        {
            await initiator.LogoutAsync(again, ct);
        }

        LoginVm.AssertGone(again.Sid, again.HostNumber);
    }

    private static async Task<byte[]> HashPrefixAsync(Stream stream, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = new byte[1 << 20];
        int left = DataBytes;
        while (left > 0)
        {
            int n = await stream.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, left)), ct);
            Assert.True(n > 0, "device shorter than the data");
            hash.AppendData(buffer, 0, n);
            left -= n;
        }

        return hash.GetHashAndReset();
    }
}
