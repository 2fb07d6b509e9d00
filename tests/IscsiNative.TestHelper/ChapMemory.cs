using System.Globalization;
using System.Runtime;
using System.Security.Cryptography;
using IscsiNative;
using IscsiNative.Initiator;
using IscsiNative.Protocol;
using IscsiNative.Sysfs;

/// <summary>
/// The <c>chap-memory</c> command: a mutual-CHAP login whose secrets never pass through a string in this process, so
/// the VM test can search the process's memory for them and expect to find them exactly where the library keeps them
/// (while logged in) and nowhere after logout and dispose.
/// </summary>
internal static class ChapMemory
{
    /// <summary>
    /// Reads the initiator secret and the target secret from stdin (one line each, raw bytes into pinned buffers),
    /// logs in to <paramref name="iqn"/> at 127.0.0.1:3260 with mutual CHAP (memuser / memtarget), prints
    /// "session SID"; on the next stdin line logs out, disposes the credentials, runs a compacting full GC and prints
    /// "done"; then waits for stdin to close.
    /// </summary>
    public static async Task<int> RunAsync(string initiatorName, string iqn)
    {
        using Stream stdin = Console.OpenStandardInput();
        byte[] secret = GC.AllocateUninitializedArray<byte>(ChapCredentials.MaxLength + 1, pinned: true);
        byte[] targetSecret = GC.AllocateUninitializedArray<byte>(ChapCredentials.MaxLength + 1, pinned: true);
        ChapCredentials chap;
        try
        {
            int n = ReadLine(stdin, secret);
            int m = ReadLine(stdin, targetSecret);
            chap = ChapCredentials.Mutual("memuser", secret.AsSpan(0, n), "memtarget", targetSecret.AsSpan(0, m));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
            CryptographicOperations.ZeroMemory(targetSecret);
        }

        // The initiator outlives the logout: whatever it (or its recovery) kept of the credentials must be gone too.
        await using var initiator = new IscsiInitiator();
        using (chap)
        {
            var options = new LoginOptions
            {
                InitiatorName = initiatorName,
                Credentials = chap,
                ConnectTimeout = TimeSpan.FromSeconds(30),
                LoginTimeout = TimeSpan.FromSeconds(30),
                DeviceTimeout = TimeSpan.FromSeconds(60),
                LogoutTimeout = TimeSpan.FromSeconds(30),
            };
            IscsiSession session = await initiator.LoginAsync(iqn, new IscsiPortal("127.0.0.1", 3260), options);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"session {session.Sid}"));
            SkipLine(stdin);
            await initiator.LogoutAsync(session);
        }

        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        Console.WriteLine("done");
        while (ReadByte(stdin) >= 0)
        {
        }

        return 0;
    }

    /// <summary>Reads bytes up to a newline (not stored) into <paramref name="buffer"/> one at a time (no read-ahead copy).</summary>
    private static int ReadLine(Stream stdin, byte[] buffer)
    {
        int n = 0;
        while (true)
        {
            int b = ReadByte(stdin);
            if (b < 0 || b == '\n')
            {
                return n;
            }

            if (n == buffer.Length)
            {
                throw new InvalidDataException("secret line too long");
            }

            buffer[n++] = (byte)b;
        }
    }

    /// <summary>One byte through a span (Stream.ReadByte would copy it into a fresh heap array).</summary>
    private static int ReadByte(Stream stdin)
    {
        Span<byte> one = stackalloc byte[1];
        return stdin.Read(one) == 1 ? one[0] : -1;
    }

    private static void SkipLine(Stream stdin)
    {
        int b;
        do
        {
            b = ReadByte(stdin);
        }
        while (b >= 0 && b != '\n');
    }
}
