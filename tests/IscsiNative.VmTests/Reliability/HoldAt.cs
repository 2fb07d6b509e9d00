namespace IscsiNative.VmTests.Reliability;

/// <summary>Blocks the login (the thread that reports the phase) once, at the end of the named phase.</summary>
internal sealed class HoldAt(string phase) : IPhaseSink, IDisposable
{
    private readonly ManualResetEventSlim _release = new(false);
    private int _fired;

    public ManualResetEventSlim Reached { get; } = new(false);

    public void Record(string name, uint sid, long begin, long end)
    {
        if (name == phase && Interlocked.Exchange(ref _fired, 1) == 0)
        {
            Reached.Set();
            _release.Wait(TimeSpan.FromSeconds(120));
        }
    }

    public void Release() => _release.Set();

    public void Dispose()
    {
        _release.Dispose();
        Reached.Dispose();
    }
}
