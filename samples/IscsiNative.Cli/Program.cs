using IscsiNative.Iscsid;
using Microsoft.Win32.SafeHandles;

namespace IscsiNative.Cli;

internal static class Program
{
    /// <summary>How long one question to iscsid may take; iscsiadm itself waits without bound.</summary>
    private static readonly TimeSpan IscsidTimeout = TimeSpan.FromSeconds(5);

    private static int Main(string[] args)
    {
        // A CHAP secret can be on the command line (-n node.session.auth.password -v ...) or read from a node record:
        // no core file of this process, whatever crashes it. (One prctl; a failure changes nothing else.)
        ProcessHardening.TryDisableCoreDumps();

        // File descriptors 1 and 2 as plain unbuffered file streams. Even Console.OpenStandardOutput/Error set the console
        // up on their first write (a pipe and a signal-handling thread for terminal restore), which a one-shot tool that
        // only prints does not need; strace showed that work between the sysfs read and the first byte.
        using Stream stdout = OpenStandard(1);
        using var stderr = new StreamWriter(OpenStandard(2), new System.Text.UTF8Encoding(false), 1024) { AutoFlush = true };
        var env = new CliEnvironment(stdout, stderr);

        // iscsiadm asks iscsid for two lines of -P 1..3 and, when it cannot reach it, says so once per session.
        var states = new LazyIscsidStateSource(() => new IscsidStateSource(new IscsidClient(), IscsidTimeout, (_, error) =>
        {
            if (error.IscsiadmMessage is { } message)
            {
                env.Error(message);
            }
        }));
        return CliApp.Run(args, env with { IscsidStates = states });
    }

    /// <summary>
    /// A write stream over an inherited descriptor; <see cref="Stream.Null"/> if it is not usable (closed), where iscsiadm's
    /// writes fail silently too. (Not Console.OpenStandard*: referencing System.Console at all put its terminal handling
    /// types and statics into the NativeAOT image, which is rehydrated and initialised on every start.)
    /// </summary>
    private static Stream OpenStandard(int fd)
    {
        var handle = new SafeFileHandle(fd, ownsHandle: false);
        try
        {
            return new WriteFailuresIgnored(new FileStream(handle, FileAccess.Write, bufferSize: 0));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            handle.Dispose();
            return Stream.Null;
        }
    }

    /// <summary>
    /// Writes that fail (EBADF on a closed descriptor: <c>2&gt;&amp;-</c>; EPIPE) are dropped, as C stdio drops them for
    /// iscsiadm, instead of ending the process with an unhandled exception after its work is done.
    /// </summary>
    private sealed class WriteFailuresIgnored(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            try
            {
                inner.Write(buffer);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        public override void Flush()
        {
            try
            {
                inner.Flush();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
