using System.Diagnostics;

namespace IscsiNative.VmTests.Infrastructure;

/// <summary>Bounded polling for kernel state that changes asynchronously (sysfs, udev-less /dev).</summary>
public static class Wait
{
    /// <summary>Polls <paramref name="condition"/> until it is true or <paramref name="timeout"/> passes.</summary>
    /// <param name="condition">The condition; exceptions from it count as false.</param>
    /// <param name="timeout">The bound.</param>
    /// <param name="interval">The poll interval (default 200 ms).</param>
    /// <returns>Whether the condition became true in time.</returns>
    public static bool Until(Func<bool> condition, TimeSpan timeout, TimeSpan? interval = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (condition())
                {
                    return true;
                }
            }
            catch (IOException)
            {
                // sysfs entries come and go while sessions change state
            }
            catch (UnauthorizedAccessException)
            {
            }

            if (clock.Elapsed >= timeout)
            {
                return false;
            }

            Thread.Sleep(interval ?? TimeSpan.FromMilliseconds(200));
        }
    }
}
