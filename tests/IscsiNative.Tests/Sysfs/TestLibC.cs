using System.Runtime.InteropServices;

namespace IscsiNative.Tests.Sysfs;

/// <summary>libc calls only tests need.</summary>
internal static partial class TestLibC
{
    /// <summary>setfsuid(2): per-thread file-system uid; leaving 0 drops CAP_DAC_OVERRIDE for this thread.</summary>
    [LibraryImport("libc", EntryPoint = "setfsuid")]
    internal static partial int SetFsUid(uint fsuid);

    /// <summary>
    /// Runs <paramref name="action"/> on a fresh thread that cannot bypass file permissions: as root, with fsuid
    /// nobody (65534) for that thread only; as another user, plainly.
    /// </summary>
    internal static void RunWithoutDacOverride(Action action)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            bool root = Environment.IsPrivilegedProcess;
            if (root)
            {
                SetFsUid(65534);
            }

            try
            {
                action();
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                if (root)
                {
                    SetFsUid(0);
                }
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new AggregateException(failure);
        }
    }
}
