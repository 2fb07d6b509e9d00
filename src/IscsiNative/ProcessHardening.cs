namespace IscsiNative;

/// <summary>What a process that holds CHAP secrets does to keep them out of core dumps.</summary>
internal static class ProcessHardening
{
    /// <summary>
    /// Marks the process not dumpable (<c>prctl(PR_SET_DUMPABLE, 0)</c>): the kernel writes no core file for it whatever
    /// <c>RLIMIT_CORE</c> and <c>core_pattern</c> say, and only a process with CAP_SYS_PTRACE may attach to it or read
    /// its <c>/proc/PID/mem</c>. A secret on the command line or read from a node record is then not in any core of a
    /// crash. The setting lasts until exec; it is not inherited across one.
    /// </summary>
    /// <returns>True when the process is now not dumpable.</returns>
    internal static bool TryDisableCoreDumps() => Interop.Sys.Prctl(Interop.Sys.PR_SET_DUMPABLE, 0, 0, 0, 0) == 0;
}
