namespace IscsiNative.Sysfs;

/// <summary>The directory walking and attribute reading behind the enumerator.</summary>
internal sealed partial class SysfsSessionReader
{
    /// <summary>Lists <c>class/iscsi_session/sessionN</c> into <see cref="SysfsReaderState.Sids"/>, alphasorted.</summary>
    internal int ListSessionIds(SysfsReaderState state)
    {
        state.PathSet(_root);
        state.PathAppend("/class/iscsi_session"u8);
        if (!state.TryOpenDirectory(out DirentReader dir))
        {
            return 0;
        }

        int count = 0;
        using (dir)
        {
            while (dir.MoveNext(out ReadOnlySpan<byte> name, out _))
            {
                if (name.StartsWith("session"u8) && TryParseDecimal(name["session".Length..], out int sid))
                {
                    state.EnsureSids(count + 1);
                    state.Sids[count++] = sid;
                }
            }
        }

        SortHelper.Sort(state.Sids.AsSpan(0, count), default(SidAlphasortComparer));
        return count;
    }

    /// <summary>Reads one session into <see cref="SysfsReaderState.Entry"/>; false when it does not exist (any more).</summary>
    internal bool ReadSession(SysfsReaderState state, int sid, IscsiSessionFields fields)
    {
        fields = Normalize(fields);
        state.ValuesUsed = 0;
        ref IscsiSessionEntry e = ref state.Entry;
        e = default;
        e._state = state;
        e._sid = sid;
        e._host = -1;

        // class/iscsi_session/sessionN -> ../../devices/platform/hostH/sessionN/iscsi_session/sessionN, resolved once:
        // every attribute below is then opened by its real path. Through the class link, each open would make the
        // kernel follow the symlink again (kernfs builds the link text in a fresh page and leaves RCU path walk), so
        // one readlink per session is cheaper than the plain-C floor's four symlinked opens.
        state.PathSet(_root);
        state.PathAppend("/class/iscsi_session/session"u8);
        state.PathAppend(sid);
        SysfsValueSlot link = state.ReadLink();
        int deviceDirLength = 0;
        int host = -1;
        bool real = false;
        if (link.Status == SysfsValueStatus.Present)
        {
            ReadOnlySpan<byte> target = state.Values.AsSpan(link.Offset, link.Length);
            int cut = target.LastIndexOf("/iscsi_session/"u8);
            if (cut > 0)
            {
                deviceDirLength = cut;
                host = ParseHostComponent(target[..cut]);
                // Only a link with a device path after ../../ (the kernel's form) is opened by its real path: for
                // ../../iscsi_session/sessionN, AppendRealPath would cut the connection's path before the ../../.
                real = ResolveClassLinks && cut > "../../".Length && target.StartsWith("../../"u8);
            }
        }

        // <device>/iscsi_session/sessionN/<attr> (or class/iscsi_session/sessionN/<attr>)
        if (real)
        {
            AppendRealPath(state, link, link.Length);
            state.PathAppend("/"u8);
        }
        else
        {
            state.PathSet(_root);
            state.PathAppend("/class/iscsi_session/session"u8);
            state.PathAppend(sid);
            state.PathAppend("/"u8);
        }

        ReadRange(state, ref e, fields, IscsiSessionAttribute.TargetName, IscsiSessionAttribute.InitiatorName);
        if (e._slots[(int)IscsiSessionAttribute.TargetName].Status == SysfsValueStatus.Missing)
        {
            return false;
        }

        // <device>/connectionN:0/iscsi_connection/connectionN:0/<attr> (or class/iscsi_connection/connectionN:0/<attr>)
        if (real)
        {
            AppendRealPath(state, link, deviceDirLength);
            state.PathAppend("/connection"u8);
            state.PathAppend(sid);
            state.PathAppend(":0/iscsi_connection/connection"u8);
            state.PathAppend(sid);
            state.PathAppend(":0/"u8);
            ReadRange(state, ref e, fields, IscsiSessionAttribute.Address, IscsiSessionAttribute.MaxXmitDataSegmentLength);
        }

        if (!real || ConnectionMissing(ref e, fields))
        {
            state.PathSet(_root);
            state.PathAppend("/class/iscsi_connection/connection"u8);
            state.PathAppend(sid);
            state.PathAppend(":0/"u8);
            ReadRange(state, ref e, fields, IscsiSessionAttribute.Address, IscsiSessionAttribute.MaxXmitDataSegmentLength);
        }

        if ((fields & NeedsHost) == 0)
        {
            MarkNotRead(ref e, IscsiSessionAttribute.HostIPAddress, IscsiSessionAttribute.ScsiHostProcName);
            if ((fields & IscsiSessionFields.Iface) != 0)
            {
                ResolveIfaceName(state, ref e);
            }

            return true;
        }

        // The host number is reported only with the fields that need it.
        e._host = host;
        if (e._host >= 0)
        {
            state.PathSet(_root);
            state.PathAppend("/class/iscsi_host/host"u8);
            state.PathAppend(e._host);
            state.PathAppend("/"u8);
            ReadRange(state, ref e, fields, IscsiSessionAttribute.HostIPAddress, IscsiSessionAttribute.HostInitiatorName);
            state.PathSet(_root);
            state.PathAppend("/class/scsi_host/host"u8);
            state.PathAppend(e._host);
            state.PathAppend("/"u8);
            ReadRange(state, ref e, fields, IscsiSessionAttribute.ScsiHostState, IscsiSessionAttribute.ScsiHostProcName);
        }
        else
        {
            MarkNotRead(ref e, IscsiSessionAttribute.HostIPAddress, IscsiSessionAttribute.ScsiHostProcName);
        }

        ResolveTransport(state, ref e);
        if ((fields & IscsiSessionFields.Iface) != 0)
        {
            ResolveIfaceName(state, ref e);
        }

        if (deviceDirLength > 0 && (fields & IscsiSessionFields.Devices) != 0)
        {
            // The device directory, relative to class/iscsi_session/ as the kernel's links are.
            state.PathSet(_root);
            if (state.Values[link.Offset] != (byte)'/')
            {
                state.PathAppend("/class/iscsi_session/"u8);
            }

            state.PathAppend(state.Values.AsSpan(link.Offset, deviceDirLength));
            ReadDevices(state, ref e);
        }

        return true;
    }

    /// <summary><c>root/</c> + the class link's target without its leading <c>../../</c>, cut at <paramref name="length"/>.</summary>
    private void AppendRealPath(SysfsReaderState state, SysfsValueSlot link, int length)
    {
        state.PathSet(_root);
        state.PathAppend("/"u8);
        state.PathAppend(state.Values.AsSpan(link.Offset + "../../".Length, length - "../../".Length));
    }

    /// <summary>
    /// Whether the connection's attributes were not found under the session's device directory (a layout other
    /// than iscsi_tcp's): then they are read again through the class link.
    /// </summary>
    private static bool ConnectionMissing(ref IscsiSessionEntry e, IscsiSessionFields fields)
    {
        for (int a = (int)IscsiSessionAttribute.Address; a <= (int)IscsiSessionAttribute.MaxXmitDataSegmentLength; a++)
        {
            if (((ulong)fields & (1UL << a)) != 0)
            {
                return e._slots[a].Status == SysfsValueStatus.Missing;
            }
        }

        return false;
    }

    /// <summary>How many attributes of one directory make opening the directory once worth it.</summary>
    private const int OpenAtThreshold = 3;

    /// <summary>ReadRange's marker for "open each file by its full path".</summary>
    private const int NoDirectory = int.MinValue;

    /// <summary>The fields that need the host number (a readlink) before they can be read.</summary>
    private const IscsiSessionFields NeedsHost = IscsiSessionFields.Devices | IscsiSessionFields.HostState
        | IscsiSessionFields.Transport | (IscsiSessionFields)(1UL << (int)IscsiSessionAttribute.HostIPAddress)
        | (IscsiSessionFields)(1UL << (int)IscsiSessionAttribute.HostHWAddress)
        | (IscsiSessionFields)(1UL << (int)IscsiSessionAttribute.HostNetdev)
        | (IscsiSessionFields)(1UL << (int)IscsiSessionAttribute.HostInitiatorName);

    /// <summary>
    /// Adds what the requested fields depend on: the target name always (it tells a vanished session), the iface
    /// name needs the host's hardware and IP address and the transport (libopeniscsiusr's naming).
    /// </summary>
    private static IscsiSessionFields Normalize(IscsiSessionFields fields)
    {
        fields |= IscsiSessionFields.TargetName;
        if ((fields & (IscsiSessionFields)(1UL << (int)IscsiSessionAttribute.IfaceName)) != 0)
        {
            fields |= IscsiSessionFields.Transport
                | (IscsiSessionFields)(1UL << (int)IscsiSessionAttribute.HostIPAddress)
                | (IscsiSessionFields)(1UL << (int)IscsiSessionAttribute.HostHWAddress);
        }

        return fields;
    }

    private static void MarkNotRead(ref IscsiSessionEntry e, IscsiSessionAttribute first, IscsiSessionAttribute last)
    {
        for (int a = (int)first; a <= (int)last; a++)
        {
            e._slots[a] = new SysfsValueSlot { Status = SysfsValueStatus.NotRead };
        }
    }

    /// <summary>
    /// Reads the requested attributes of one directory (the current path, ending in '/'). From three attributes on,
    /// the directory is opened once and each file with openat, so the kernel walks the directory path (and sysfs'
    /// class symlink) once instead of once per attribute; for one or two, the extra open/close of the directory
    /// costs more than it saves, and each file is opened by its full path. A directory that cannot be opened fails
    /// each requested attribute with its errno.
    /// </summary>
    private static void ReadRange(SysfsReaderState state, ref IscsiSessionEntry e, IscsiSessionFields fields, IscsiSessionAttribute first, IscsiSessionAttribute last)
    {
        int dirLength = state.PathLength;
        ulong range = (ulong.MaxValue >> (63 - (int)last)) & (ulong.MaxValue << (int)first);
        int dirfd = System.Numerics.BitOperations.PopCount((ulong)fields & range) >= OpenAtThreshold ? -1 : NoDirectory;
        for (int a = (int)first; a <= (int)last; a++)
        {
            if (((ulong)fields & (1UL << a)) == 0)
            {
                e._slots[a] = new SysfsValueSlot { Status = SysfsValueStatus.NotRead };
                continue;
            }

            if (dirfd == -1)
            {
                dirfd = state.OpenDirectoryFd();
            }

            if (dirfd < 0 && dirfd != NoDirectory)
            {
                e._slots[a] = SysfsReaderState.Failed(-dirfd);
                continue;
            }

            state.PathLength = dirLength;
            state.PathAppend(SessionAttributeTable.FileName((IscsiSessionAttribute)a));
            e._slots[a] = dirfd == NoDirectory ? state.ReadFile() : state.ReadFile(dirfd, dirLength);
        }

        if (dirfd >= 0)
        {
            Interop.Sys.Close(dirfd);
        }

        state.PathLength = dirLength;
    }

    /// <summary>proc_name <c>iscsi_tcp</c> → transport <c>tcp</c> (libopeniscsiusr), and whether class/iscsi_transport/tcp exists.</summary>
    private void ResolveTransport(SysfsReaderState state, ref IscsiSessionEntry e)
    {
        SysfsValueSlot proc = e._slots[(int)IscsiSessionAttribute.ScsiHostProcName];
        if (proc.Status != SysfsValueStatus.Present)
        {
            return;
        }

        int skip = state.Values.AsSpan(proc.Offset, proc.Length).StartsWith("iscsi_"u8) ? "iscsi_".Length : 0;
        e._transportOffset = proc.Offset + skip;
        e._transportLength = proc.Length - skip;
        if (e._transportLength > 0)
        {
            state.PathSet(_root);
            state.PathAppend("/class/iscsi_transport/"u8);
            state.PathAppend(state.Values.AsSpan(e._transportOffset, e._transportLength));
            e._transportLoaded = state.DirectoryExists();
        }
    }

    /// <summary>
    /// The iface name as libopeniscsiusr derives it: a host bound by hardware address is named
    /// <c>transport.hwaddress.ipv4|ipv6.0</c>; otherwise the session's ifacename; otherwise <c>default</c>.
    /// </summary>
    private static void ResolveIfaceName(SysfsReaderState state, ref IscsiSessionEntry e)
    {
        ReadOnlySpan<byte> hw = e.GetRaw(IscsiSessionAttribute.HostHWAddress);
        if (!hw.IsEmpty && !hw.SequenceEqual("default"u8))
        {
            SysfsValueSlot hwSlot = e._slots[(int)IscsiSessionAttribute.HostHWAddress];
            bool ipv6 = e.GetRaw(IscsiSessionAttribute.HostIPAddress).IndexOf((byte)':') >= 0;
            state.EnsureValues(e._transportLength + hwSlot.Length + 16);
            int start = state.ValuesUsed;
            state.StoreValue(state.Values.AsSpan(e._transportOffset, e._transportLength));
            state.StoreValue("."u8);
            state.StoreValue(state.Values.AsSpan(hwSlot.Offset, hwSlot.Length));
            state.StoreValue(ipv6 ? ".ipv6.0"u8 : ".ipv4.0"u8);
            e._ifaceNameOffset = start;
            e._ifaceNameLength = state.ValuesUsed - start;
            return;
        }

        SysfsValueSlot name = e._slots[(int)IscsiSessionAttribute.IfaceName];
        if (name.Status == SysfsValueStatus.Present)
        {
            e._ifaceNameOffset = name.Offset;
            e._ifaceNameLength = name.Length;
            return;
        }

        e._ifaceNameOffset = state.StoreValue("default"u8);
        e._ifaceNameLength = "default".Length;
    }

    /// <summary>
    /// The LUNs under the first <c>targetH:C:T</c> of the session device directory, as iscsiadm walks them:
    /// H:C:T:L names in alphasort order, each with its <c>state</c> and the name inside its <c>block/</c> directory.
    /// </summary>
    private static void ReadDevices(SysfsReaderState state, ref IscsiSessionEntry e)
    {
        if (!state.TryOpenDirectory(out DirentReader dir))
        {
            return;
        }

        bool found = false;
        using (dir)
        {
            while (dir.MoveNext(out ReadOnlySpan<byte> name, out _))
            {
                if (name.StartsWith("target"u8))
                {
                    state.PathAppend("/"u8);
                    state.PathAppend(name);
                    found = true;
                    break;
                }
            }
        }

        if (!found || !state.TryOpenDirectory(out DirentReader targetDir))
        {
            return;
        }

        int targetDirLength = state.PathLength;
        int count = 0;
        using (targetDir)
        {
            while (targetDir.MoveNext(out ReadOnlySpan<byte> name, out _))
            {
                if (TryParseLun(name, out LunName lun))
                {
                    state.EnsureDevices(count + 1);
                    lun.Offset = state.StoreValue(name);
                    lun.Length = name.Length;
                    state.LunNames[count++] = lun;
                }
            }
        }

        SortHelper.Sort(state.LunNames.AsSpan(0, count), new LunNameComparer(state.Values));
        for (int i = 0; i < count; i++)
        {
            LunName lun = state.LunNames[i];
            state.PathLength = targetDirLength;
            state.PathAppend("/"u8);
            state.PathAppend(state.Values.AsSpan(lun.Offset, lun.Length));
            int lunDirLength = state.PathLength;
            state.PathAppend("/state"u8);
            SysfsValueSlot deviceState = state.ReadFile();
            state.PathLength = lunDirLength;
            (int blockOffset, int blockLength) = ReadBlockDeviceName(state);
            state.Devices[i] = new IscsiDeviceEntry(state, lun, deviceState, blockOffset, blockLength);
        }

        e._deviceCount = count;
    }

    /// <summary>The first <c>block*</c> entry of a LUN directory: a directory holding <c>sdX</c>, or an old <c>block:sdX</c> link.</summary>
    private static (int Offset, int Length) ReadBlockDeviceName(SysfsReaderState state)
    {
        if (!state.TryOpenDirectory(out DirentReader lunDir))
        {
            return (0, 0);
        }

        bool isDirectory = false;
        using (lunDir)
        {
            while (lunDir.MoveNext(out ReadOnlySpan<byte> name, out byte type))
            {
                if (!name.StartsWith("block"u8))
                {
                    continue;
                }

                if (type == Interop.Sys.DT_LNK)
                {
                    int colon = name.IndexOf((byte)':');
                    return colon < 0 ? (0, 0) : (state.StoreValue(name[(colon + 1)..]), name.Length - colon - 1);
                }

                state.PathAppend("/"u8);
                state.PathAppend(name);
                isDirectory = true;
                break;
            }
        }

        if (!isDirectory || !state.TryOpenDirectory(out DirentReader blockDir))
        {
            return (0, 0);
        }

        using (blockDir)
        {
            return blockDir.MoveNext(out ReadOnlySpan<byte> device, out _) ? (state.StoreValue(device), device.Length) : (0, 0);
        }
    }

    /// <summary>"H:C:T:L" with four non-negative decimal numbers.</summary>
    private static bool TryParseLun(ReadOnlySpan<byte> name, out LunName lun)
    {
        lun = default;
        Span<int> parts = stackalloc int[4];
        for (int i = 0; i < 4; i++)
        {
            int colon = name.IndexOf((byte)':');
            ReadOnlySpan<byte> part = i < 3 ? (colon < 0 ? default : name[..colon]) : name;
            if (!TryParseDecimal(part, out parts[i]))
            {
                return false;
            }

            name = i < 3 ? name[(colon + 1)..] : default;
        }

        lun.Host = parts[0];
        lun.Channel = parts[1];
        lun.Target = parts[2];
        lun.Lun = parts[3];
        return true;
    }

    /// <summary>The H of the path component right before sessionN (<c>.../hostH/sessionN</c>), or -1.</summary>
    private static int ParseHostComponent(ReadOnlySpan<byte> deviceDir)
    {
        int slash = deviceDir.LastIndexOf((byte)'/');
        if (slash <= 0)
        {
            return -1;
        }

        ReadOnlySpan<byte> parent = deviceDir[..slash];
        ReadOnlySpan<byte> component = parent[(parent.LastIndexOf((byte)'/') + 1)..];
        return component.StartsWith("host"u8) && TryParseDecimal(component["host".Length..], out int host) ? host : -1;
    }

    private static bool TryParseDecimal(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 9)
        {
            return false;
        }

        foreach (byte b in digits)
        {
            if (b < (byte)'0' || b > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (b - (byte)'0');
        }

        return true;
    }
}
