using System.Runtime.InteropServices;

namespace IscsiNative.Benchmarks.Comparison;

/// <summary>
/// open-iscsi's own C library, the way a C program enumerates sessions. Debian ships only the
/// versioned name, so that is what we bind.
/// </summary>
internal static unsafe partial class LibOpenIscsiUsr
{
    private const string Lib = "libopeniscsiusr.so.0";

    [LibraryImport(Lib, EntryPoint = "iscsi_context_new")]
    internal static partial nint ContextNew();

    [LibraryImport(Lib, EntryPoint = "iscsi_context_free")]
    internal static partial void ContextFree(nint ctx);

    [LibraryImport(Lib, EntryPoint = "iscsi_sessions_get")]
    internal static partial int SessionsGet(nint ctx, out nint* sessions, out uint count);

    [LibraryImport(Lib, EntryPoint = "iscsi_sessions_free")]
    internal static partial void SessionsFree(nint* sessions, uint count);

    [LibraryImport(Lib, EntryPoint = "iscsi_session_sid_get")]
    internal static partial uint SessionSidGet(nint session);

    [LibraryImport(Lib, EntryPoint = "iscsi_session_target_name_get")]
    internal static partial byte* SessionTargetNameGet(nint session);

    [LibraryImport(Lib, EntryPoint = "iscsi_session_tpgt_get")]
    internal static partial int SessionTpgtGet(nint session);

    [LibraryImport(Lib, EntryPoint = "iscsi_session_address_get")]
    internal static partial byte* SessionAddressGet(nint session);

    [LibraryImport(Lib, EntryPoint = "iscsi_session_port_get")]
    internal static partial int SessionPortGet(nint session);

    /// <summary>
    /// Reads every session with libopeniscsiusr and folds the same four fields the floor reads into a
    /// checksum. Returns the session count, or -1 when the library reports an error.
    /// </summary>
    internal static int ReadSessions(nint context, out long checksum)
    {
        checksum = 0;
        if (SessionsGet(context, out nint* sessions, out uint count) != 0)
        {
            return -1;
        }

        try
        {
            for (uint i = 0; i < count; i++)
            {
                nint s = sessions[i];
                checksum += SessionSidGet(s);
                checksum += MemoryMarshal.CreateReadOnlySpanFromNullTerminated(SessionTargetNameGet(s)).Length;
                checksum += SessionTpgtGet(s);
                checksum += MemoryMarshal.CreateReadOnlySpanFromNullTerminated(SessionAddressGet(s)).Length;
                checksum += SessionPortGet(s);
            }
        }
        finally
        {
            SessionsFree(sessions, count);
        }

        return (int)count;
    }
}
