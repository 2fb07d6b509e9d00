using System.Globalization;
using System.IO.Enumeration;
using Microsoft.Extensions.Logging;

namespace IscsiNative.Nodes;

/// <summary>
/// The open-iscsi node database (OPEN-ISCSI.md §6), read and written the way iscsiadm 2.1.8 does: the same paths,
/// byte-identical record files, open-iscsi's link lock around every read and read-modify-write, atomic replacement
/// of files (0600, directories 0700). Keys unknown to this library are kept on rewrite.
/// </summary>
public sealed class IscsiNodeDatabase
{
    private readonly NodeDatabaseLock _lock;
    private readonly ILogger _logger;

    /// <summary>Opens the database at <see cref="IscsiNodeDatabaseOptions.Root"/> (nothing is touched until a call).</summary>
    /// <param name="options">Paths and lock behaviour; null for Debian 12's (/etc/iscsi, /run/lock/iscsi).</param>
    public IscsiNodeDatabase(IscsiNodeDatabaseOptions? options = null)
    {
        Options = options ?? new IscsiNodeDatabaseOptions();
        _logger = Options.LoggerFactory.CreateLogger<IscsiNodeDatabase>();
        _lock = new NodeDatabaseLock(Options.LockDirectory, Options.LockTimeout, Options.TakeOverStaleLock, _logger);
    }

    /// <summary>The paths and lock settings in use.</summary>
    public IscsiNodeDatabaseOptions Options { get; }

    private string NodesDirectory => Path.Combine(Options.Root, "nodes");

    private string SendTargetsDirectory => Path.Combine(Options.Root, "send_targets");

    private string IfacesDirectory => Path.Combine(Options.Root, "ifaces");

    /// <summary>Reads the node records matching the filters (null = any), under the DB lock.</summary>
    /// <param name="targetName">Only this target.</param>
    /// <param name="portal">Only this portal.</param>
    /// <param name="ifaceName">Only this iface.</param>
    /// <param name="cancellationToken">Stops waiting for the lock.</param>
    /// <returns>The records, and the malformed files (with file and line) that were skipped.</returns>
    /// <exception cref="IscsiNodeDatabaseException">The lock could not be taken.</exception>
    /// <exception cref="UnauthorizedAccessException">The DB or the lock directory is not accessible.</exception>
    public IscsiNodeQueryResult Query(string? targetName = null, IscsiPortal? portal = null, string? ifaceName = null, CancellationToken cancellationToken = default)
    {
        using NodeDatabaseLock.Releaser held = _lock.Acquire(cancellationToken);
        return QueryUnlocked(targetName, portal, ifaceName);
    }

    /// <summary>The record of one node, or null when there is none.</summary>
    /// <param name="targetName">The target IQN.</param>
    /// <param name="portal">The portal.</param>
    /// <param name="ifaceName">The iface (<c>default</c>).</param>
    /// <param name="cancellationToken">Stops waiting for the lock.</param>
    /// <returns>The record or null.</returns>
    /// <exception cref="IscsiNodeRecordFormatException">The record file is malformed (names file and line).</exception>
    /// <exception cref="IscsiNodeDatabaseException">The lock could not be taken.</exception>
    public IscsiNodeRecord? Find(string targetName, IscsiPortal portal, string ifaceName = "default", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetName);
        ArgumentNullException.ThrowIfNull(portal);
        using NodeDatabaseLock.Releaser held = _lock.Acquire(cancellationToken);
        return FindUnlocked(targetName, portal, ifaceName);
    }

    /// <summary>
    /// Creates a static node record like <c>iscsiadm -m node -o new -T .. -p ..[,TPGT] [-I IFACE]</c>: code defaults,
    /// then the <c>node.*</c> defaults of iscsid.conf. An existing record is returned unchanged.
    /// </summary>
    /// <param name="targetName">The target IQN.</param>
    /// <param name="portal">The portal.</param>
    /// <param name="tpgt">The portal group tag; -1 (unknown) writes the old-style file <c>nodes/T/ADDR,PORT</c>, as iscsiadm.</param>
    /// <param name="ifaceName">The iface.</param>
    /// <param name="cancellationToken">Stops waiting for the lock.</param>
    /// <returns>The record as written (or as found).</returns>
    /// <exception cref="ArgumentException">Unsafe target or iface name.</exception>
    /// <exception cref="IscsiNodeDatabaseException">The lock could not be taken or the file not written.</exception>
    /// <exception cref="UnauthorizedAccessException">The DB is not writable.</exception>
    public IscsiNodeRecord Create(string targetName, IscsiPortal portal, int tpgt = -1, string ifaceName = "default", CancellationToken cancellationToken = default)
    {
        IscsiNodeRecord record = NewRecord(targetName, portal, tpgt, ifaceName);
        using NodeDatabaseLock.Releaser held = _lock.Acquire(cancellationToken);
        IscsiNodeRecord? existing = FindUnlocked(targetName, portal, ifaceName);
        if (existing is not null)
        {
            return existing;
        }

        WriteUnlocked(record);
        return record;
    }

    /// <summary>A new record with code defaults and iscsid.conf's <c>node.*</c> values, not written.</summary>
    /// <param name="targetName">The target IQN.</param>
    /// <param name="portal">The portal.</param>
    /// <param name="tpgt">The portal group tag or -1.</param>
    /// <param name="ifaceName">The iface.</param>
    /// <returns>The record.</returns>
    public IscsiNodeRecord NewRecord(string targetName, IscsiPortal portal, int tpgt = -1, string ifaceName = "default")
    {
        return NewRecord(targetName, portal, tpgt, ifaceName, ReadConfig());
    }

    private static IscsiNodeRecord NewRecord(string targetName, IscsiPortal portal, int tpgt, string ifaceName, List<(string Key, string Value, bool Raw)>? config)
    {
        var record = new IscsiNodeRecord(targetName, portal, tpgt, ifaceName);
        ApplyConfigDefaults(record.Fields, "node.", config);
        return record;
    }

    /// <summary>Writes a record (new or replaced) under the lock; the file is byte-identical to iscsiadm 2.1.8's.</summary>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Stops waiting for the lock.</param>
    /// <exception cref="IscsiNodeDatabaseException">The lock could not be taken or the file not written.</exception>
    /// <exception cref="UnauthorizedAccessException">The DB is not writable.</exception>
    public void Save(IscsiNodeRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        using NodeDatabaseLock.Releaser held = _lock.Acquire(cancellationToken);
        WriteUnlocked(record);
    }

    /// <summary>
    /// Read-modify-write of one record under one hold of the lock (as <c>iscsiadm -o update</c> since PR #168), so a
    /// concurrent iscsiadm or library edit is never lost.
    /// </summary>
    /// <param name="targetName">The target IQN.</param>
    /// <param name="portal">The portal.</param>
    /// <param name="ifaceName">The iface.</param>
    /// <param name="change">Applies the change to the record read.</param>
    /// <param name="cancellationToken">Stops waiting for the lock.</param>
    /// <returns>The record as written.</returns>
    /// <exception cref="IscsiNodeDatabaseException">No such record (error 21), the lock, or the write failed.</exception>
    /// <exception cref="IscsiNodeRecordFormatException">The record file is malformed.</exception>
    public IscsiNodeRecord Update(string targetName, IscsiPortal portal, string ifaceName, Action<IscsiNodeRecord> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentException.ThrowIfNullOrEmpty(targetName);
        ArgumentNullException.ThrowIfNull(portal);
        using NodeDatabaseLock.Releaser held = _lock.Acquire(cancellationToken);
        IscsiNodeRecord record = FindUnlocked(targetName, portal, ifaceName)
            ?? throw new IscsiNodeDatabaseException($"No record found for [iface: {ifaceName}, target: {targetName}, portal: {portal.Address},{portal.Port}].", 21);
        change(record);
        WriteUnlocked(record);
        return record;
    }

    /// <summary>
    /// Deletes a node record like <c>iscsiadm -m node -o delete</c>; refuses while a session uses it (error 15), and
    /// removes the discovery links to it and directories left empty.
    /// </summary>
    /// <param name="targetName">The target IQN.</param>
    /// <param name="portal">The portal.</param>
    /// <param name="ifaceName">The iface.</param>
    /// <param name="cancellationToken">Stops waiting for the lock.</param>
    /// <returns>False when there was no such record.</returns>
    /// <exception cref="IscsiNodeDatabaseException">A session uses the node (<see cref="IscsiNodeDatabaseException.IscsiadmErrorCode"/> 15), or the lock or the delete failed.</exception>
    public bool Delete(string targetName, IscsiPortal portal, string ifaceName = "default", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetName);
        ArgumentNullException.ThrowIfNull(portal);
        if (SessionExists(targetName, portal, ifaceName))
        {
            throw new IscsiNodeDatabaseException(
                $"This command will remove the record [iface: {ifaceName}, target: {targetName}, portal: {portal.Address},{portal.Port}], but a session is using it. Logout session then rerun command to remove record.", 15);
        }

        using NodeDatabaseLock.Releaser held = _lock.Acquire(cancellationToken);
        (string? file, bool oldStyle) = LocateUnlocked(targetName, portal, ifaceName);
        if (file is null)
        {
            return false;
        }

        IscsiNodeRecord? record = null;
        try
        {
            record = ReadRecord(file);
        }
        catch (IscsiNodeRecordFormatException)
        {
        }

        File.Delete(file);
        if (!oldStyle)
        {
            DeleteIfEmpty(Path.GetDirectoryName(file)!);
        }

        DeleteIfEmpty(Path.Combine(NodesDirectory, targetName));
        if (record is not null && record.DiscoveryType == "send_targets" && record.DiscoveryAddress is { } da)
        {
            string link = Path.Combine(SendTargetsDirectory, Invariant($"{da},{record.DiscoveryPort}"),
                Invariant($"{targetName},{portal.Address},{portal.Port},{record.Tpgt},{ifaceName}"));
            if (!Directory.Exists(Path.Combine(Path.GetDirectoryName(file)!)))
            {
                File.Delete(link);
            }
        }

        return true;
    }

    /// <summary>
    /// Stores the result of a SendTargets discovery the way <c>iscsiadm -m discovery -t st -p PORTAL</c> does with no
    /// <c>-o</c>: the discovery record <c>send_targets/ADDR,PORT/st_config</c>, records of this source that were not
    /// found again are deleted (unless in use), every found portal gets a fresh record with iscsid.conf defaults and a
    /// link <c>send_targets/ADDR,PORT/TARGET,ADDR,PORT,TPGT,IFACE</c> to its portal directory.
    /// </summary>
    /// <param name="discoveryPortal">The portal the discovery asked.</param>
    /// <param name="targets">What it found.</param>
    /// <param name="ifaceName">The iface bound to the records.</param>
    /// <param name="cancellationToken">Stops waiting for the lock.</param>
    /// <returns>The records written.</returns>
    /// <exception cref="IscsiNodeDatabaseException">The lock could not be taken or a file not written.</exception>
    public IReadOnlyList<IscsiNodeRecord> SaveSendTargetsDiscovery(IscsiPortal discoveryPortal, IEnumerable<IscsiNodeTarget> targets, string ifaceName = "default", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(discoveryPortal);
        ArgumentNullException.ThrowIfNull(targets);
        List<IscsiNodeTarget> found = [.. targets];
        var written = new List<IscsiNodeRecord>();
        using NodeDatabaseLock.Releaser held = _lock.Acquire(cancellationToken);
        string stDir = Path.Combine(SendTargetsDirectory, Invariant($"{discoveryPortal.Address},{discoveryPortal.Port}"));
        AtomicFile.CreateDirectory(Options.Root);
        AtomicFile.CreateDirectory(SendTargetsDirectory);
        AtomicFile.CreateDirectory(stDir);
        WriteDiscoveryUnlocked(NewDiscoveryFields(discoveryPortal), stDir);

        foreach (IscsiNodeRecord old in QueryUnlocked(null, null, null).Nodes)
        {
            if (old.DiscoveryType == "send_targets" && old.DiscoveryAddress == discoveryPortal.Address && old.DiscoveryPort == discoveryPortal.Port &&
                !found.Any(f => f.TargetName == old.TargetName && f.Portal.Address == old.Portal.Address && f.Portal.Port == old.Portal.Port) &&
                !SessionExists(old.TargetName, old.Portal, old.IfaceName) && old.FilePath is { } path)
            {
                File.Delete(path);
                DeleteIfEmpty(Path.GetDirectoryName(path)!);
                File.Delete(Path.Combine(stDir, Invariant($"{old.TargetName},{old.Portal.Address},{old.Portal.Port},{old.Tpgt},{old.IfaceName}")));
            }
        }

        List<(string Key, string Value, bool Raw)>? config = ReadConfig();
        foreach (IscsiNodeTarget t in found)
        {
            IscsiNodeRecord record = NewRecord(t.TargetName, t.Portal, t.Tpgt, ifaceName, config);
            record.Fields.Set("node.discovery_address", discoveryPortal.Address);
            record.Fields.Set("node.discovery_port", discoveryPortal.Port.ToString(CultureInfo.InvariantCulture));
            record.Fields.Set("node.discovery_type", "send_targets");
            WriteUnlocked(record);
            written.Add(record);
            if (t.Tpgt != -1)
            {
                string link = Path.Combine(stDir, Invariant($"{t.TargetName},{t.Portal.Address},{t.Portal.Port},{t.Tpgt},{ifaceName}"));
                if (!File.Exists(link) && !Directory.Exists(link))
                {
                    File.CreateSymbolicLink(link, PortalDirectory(t.TargetName, t.Portal, t.Tpgt));
                }
            }
        }

        return written;
    }

    /// <summary>The SendTargets discovery record of a portal (<c>send_targets/ADDR,PORT/st_config</c>), or null.</summary>
    /// <param name="discoveryPortal">The discovery portal.</param>
    /// <param name="cancellationToken">Stops waiting for the lock.</param>
    /// <returns>The record, or null when there is none.</returns>
    /// <exception cref="IscsiNodeRecordFormatException">The file is malformed.</exception>
    public IscsiDiscoveryRecord? FindSendTargetsDiscovery(IscsiPortal discoveryPortal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(discoveryPortal);
        string path = Path.Combine(SendTargetsDirectory, Invariant($"{discoveryPortal.Address},{discoveryPortal.Port}"), "st_config");
        using NodeDatabaseLock.Releaser held = _lock.Acquire(cancellationToken);
        return File.Exists(path) ? new IscsiDiscoveryRecord(RecordFields.ReadFile(RecordKind.Discovery, path)) : null;
    }

    /// <summary>
    /// Writes a SendTargets discovery record with iscsid.conf's defaults and no discovery, as
    /// <c>iscsiadm -m discoverydb -t st -p PORTAL -o new</c> does (an existing record is replaced).
    /// </summary>
    /// <param name="discoveryPortal">The discovery portal.</param>
    /// <param name="cancellationToken">Stops waiting for the lock.</param>
    /// <returns>The record written.</returns>
    /// <exception cref="IscsiNodeDatabaseException">The lock could not be taken or the file not written.</exception>
    public IscsiDiscoveryRecord AddSendTargetsDiscovery(IscsiPortal discoveryPortal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(discoveryPortal);
        using NodeDatabaseLock.Releaser held = _lock.Acquire(cancellationToken);
        string stDir = Path.Combine(SendTargetsDirectory, Invariant($"{discoveryPortal.Address},{discoveryPortal.Port}"));
        RecordFields st = NewDiscoveryFields(discoveryPortal);
        WriteDiscoveryUnlocked(st, stDir);
        return new IscsiDiscoveryRecord(st);
    }

    /// <summary>Writes a discovery record back (after <see cref="IscsiDiscoveryRecord.SetValue"/>), as <c>-m discoverydb -o update</c> does.</summary>
    /// <param name="record">A record from <see cref="FindSendTargetsDiscovery"/> or <see cref="AddSendTargetsDiscovery"/>.</param>
    /// <param name="cancellationToken">Stops waiting for the lock.</param>
    /// <exception cref="IscsiNodeDatabaseException">The lock could not be taken or the file not written.</exception>
    public void SaveDiscovery(IscsiDiscoveryRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        using NodeDatabaseLock.Releaser held = _lock.Acquire(cancellationToken);
        IscsiPortal portal = record.Portal;
        WriteDiscoveryUnlocked(record.Fields, Path.Combine(SendTargetsDirectory, Invariant($"{portal.Address},{portal.Port}")));
    }

    /// <summary>
    /// Deletes a SendTargets discovery record and every node record it links to (<c>send_targets/ADDR,PORT/*</c>),
    /// as <c>iscsiadm -m discoverydb -t st -p PORTAL -o delete</c> does (sessions are not checked, as there).
    /// </summary>
    /// <param name="discoveryPortal">The discovery portal.</param>
    /// <param name="cancellationToken">Stops waiting for the lock.</param>
    /// <returns>False when there was no such record.</returns>
    /// <exception cref="IscsiNodeDatabaseException">The lock could not be taken.</exception>
    public bool DeleteSendTargetsDiscovery(IscsiPortal discoveryPortal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(discoveryPortal);
        using NodeDatabaseLock.Releaser held = _lock.Acquire(cancellationToken);
        string stDir = Path.Combine(SendTargetsDirectory, Invariant($"{discoveryPortal.Address},{discoveryPortal.Port}"));
        if (!Directory.Exists(stDir))
        {
            return false;
        }

        File.Delete(Path.Combine(stDir, "st_config"));
        foreach (string link in Directory.EnumerateFileSystemEntries(stDir))
        {
            // TARGET,ADDRESS,PORT,TPGT,IFACE: the target name may itself hold commas, the last four fields do not.
            string[] parts = Path.GetFileName(link).Split(',');
            if (parts.Length >= 5 && int.TryParse(parts[^3], NumberStyles.None, CultureInfo.InvariantCulture, out int port))
            {
                string target = string.Join(',', parts[..^4]);
                (string? file, bool oldStyle) = LocateUnlocked(target, new IscsiPortal(parts[^4], port), parts[^1]);
                if (file is not null)
                {
                    File.Delete(file);
                    if (!oldStyle)
                    {
                        DeleteIfEmpty(Path.GetDirectoryName(file)!);
                    }

                    DeleteIfEmpty(Path.Combine(NodesDirectory, target));
                }
            }

            File.Delete(link);
        }

        DeleteIfEmpty(stDir);
        return true;
    }

    private RecordFields NewDiscoveryFields(IscsiPortal discoveryPortal)
    {
        var st = new RecordFields(RecordKind.Discovery);
        ApplyConfigDefaults(st, "discovery.sendtargets.", ReadConfig());
        st.Set("discovery.sendtargets.address", discoveryPortal.Address);
        st.Set("discovery.sendtargets.port", discoveryPortal.Port.ToString(CultureInfo.InvariantCulture));
        return st;
    }

    private void WriteDiscoveryUnlocked(RecordFields st, string stDir)
    {
        AtomicFile.CreateDirectory(Options.Root);
        AtomicFile.CreateDirectory(SendTargetsDirectory);
        AtomicFile.CreateDirectory(stDir);
        string path = Path.Combine(stDir, "st_config");
        AtomicFile.Write(Options.Root, path, st.ToFileBytes());
        st.Path = path;
    }

    /// <summary>The iface records in <c>ifaces/</c> (not the built-in <c>default</c>), malformed ones reported separately.</summary>
    /// <param name="cancellationToken">Stops waiting for the lock.</param>
    /// <returns>The ifaces, by name.</returns>
    /// <exception cref="IscsiNodeRecordFormatException">An iface file is malformed.</exception>
    public IReadOnlyList<IscsiIfaceRecord> GetIfaces(CancellationToken cancellationToken = default)
    {
        using NodeDatabaseLock.Releaser held = _lock.Acquire(cancellationToken);
        if (!Directory.Exists(IfacesDirectory))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(IfacesDirectory)
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .Select(f => new IscsiIfaceRecord(RecordFields.ReadFile(RecordKind.Iface, f)))];
    }

    /// <summary>Writes an iface record (<c>ifaces/NAME</c>), byte-identical to <c>iscsiadm -m iface -o new/update</c>.</summary>
    /// <param name="iface">The iface.</param>
    /// <param name="cancellationToken">Stops waiting for the lock.</param>
    public void SaveIface(IscsiIfaceRecord iface, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(iface);
        using NodeDatabaseLock.Releaser held = _lock.Acquire(cancellationToken);
        AtomicFile.CreateDirectory(Options.Root);
        AtomicFile.CreateDirectory(IfacesDirectory);
        string path = Path.Combine(IfacesDirectory, iface.Name);
        AtomicFile.Write(Options.Root, path, iface.Fields.ToFileBytes());
        iface.Fields.Path = path;
    }

    /// <summary>Deletes <c>ifaces/NAME</c>.</summary>
    /// <param name="name">The iface name.</param>
    /// <param name="cancellationToken">Stops waiting for the lock.</param>
    /// <returns>False when there was none.</returns>
    public bool DeleteIface(string name, CancellationToken cancellationToken = default)
    {
        IscsiNodeRecord.ValidateName(name, nameof(name));
        using NodeDatabaseLock.Releaser held = _lock.Acquire(cancellationToken);
        string path = Path.Combine(IfacesDirectory, name);
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    /// <summary>The initiator name and alias from <c>initiatorname.iscsi</c> (iscsid's rules), or null when there is no name.</summary>
    /// <returns>(name, alias) or null.</returns>
    /// <exception cref="UnauthorizedAccessException">The file is not readable.</exception>
    public (string Name, string? Alias)? ReadInitiatorName()
    {
        string path = Path.Combine(Options.ConfigDirectory, "initiatorname.iscsi");
        if (!File.Exists(path))
        {
            return null;
        }

        string text = File.ReadAllText(path);
        string? name = Initiator.InitiatorNameFile.Parse(text);
        return name is null ? null : (name, ParseAlias(text));
    }

    /// <summary>Writes <c>initiatorname.iscsi</c> as <c>InitiatorName=NAME</c> (and <c>InitiatorAlias=ALIAS</c>), atomically, 0644.</summary>
    /// <param name="name">The initiator IQN.</param>
    /// <param name="alias">An optional alias.</param>
    /// <exception cref="ArgumentException">An empty name or a line break in either value.</exception>
    public void WriteInitiatorName(string name, string? alias = null)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The open-iscsi node database exists on Linux only.");
        }

        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.AsSpan().IndexOfAny("\n\r\0 \t") >= 0 || (alias is not null && alias.AsSpan().IndexOfAny("\n\r\0") >= 0))
        {
            throw new ArgumentException("The initiator name and alias must be single lines (and the name without blanks).", nameof(name));
        }

        AtomicFile.CreateDirectory(Options.ConfigDirectory);
        string path = Path.Combine(Options.ConfigDirectory, "initiatorname.iscsi");
        AtomicFile.Write(Options.ConfigDirectory, path, "InitiatorName=" + name + "\n" + (alias is null ? "" : "InitiatorAlias=" + alias + "\n"));
        File.SetUnixFileMode(path, AtomicFile.FileMode0600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    internal bool SessionExists(string targetName, IscsiPortal portal, string ifaceName)
    {
        string sessions = Path.Combine(Options.SysfsRoot, "class", "iscsi_session");
        if (!Directory.Exists(sessions))
        {
            return false;
        }

        foreach (string dir in Directory.EnumerateDirectories(sessions, "session*"))
        {
            string name = Path.GetFileName(dir);
            if (ReadSysfs(Path.Combine(dir, "targetname")) != targetName)
            {
                continue;
            }

            string conn = Path.Combine(Options.SysfsRoot, "class", "iscsi_connection", "connection" + name["session".Length..] + ":0");
            string? address = ReadSysfs(Path.Combine(conn, "persistent_address"));
            string? port = ReadSysfs(Path.Combine(conn, "persistent_port"));
            string iface = ReadSysfs(Path.Combine(dir, "ifacename")) is { Length: > 0 } i and not "(null)" ? i : "default";
            if (address == portal.Address && port == portal.Port.ToString(CultureInfo.InvariantCulture) && iface == ifaceName)
            {
                return true;
            }
        }

        return false;
    }

    private static string? ReadSysfs(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private IscsiNodeQueryResult QueryUnlocked(string? targetName, IscsiPortal? portal, string? ifaceName)
    {
        var nodes = new List<IscsiNodeRecord>();
        var errors = new List<IscsiNodeRecordFormatException>();
        if (!Directory.Exists(NodesDirectory))
        {
            return new IscsiNodeQueryResult(nodes, errors);
        }

        IEnumerable<string> targetDirs = targetName is null
            ? Directory.EnumerateDirectories(NodesDirectory)
            : Directory.Exists(Path.Combine(NodesDirectory, targetName)) ? [Path.Combine(NodesDirectory, targetName)] : [];
        foreach (string targetDir in targetDirs)
        {
            // One getdents walk a directory: the entry's type comes with its name (d_type), no stat per entry.
            // IsDirectory follows a symbolic link as Directory.Exists does; !IsDirectory is File.Exists (true for a
            // dangling link too, whose read then fails as before).
            foreach ((string entry, bool isDirectory) in Entries(targetDir, filesOnly: false))
            {
                if (!TryParsePortalName(Path.GetFileName(entry.AsSpan()), portal, out int? tpgt))
                {
                    continue;
                }

                IEnumerable<string> files = tpgt is null
                    ? (!isDirectory ? [entry] : [])
                    : isDirectory ? Entries(entry, filesOnly: true).Select(e => e.Path) : [];
                foreach (string file in files)
                {
                    try
                    {
                        IscsiNodeRecord record = ReadRecord(file);
                        if (ifaceName is null || record.IfaceName == ifaceName)
                        {
                            nodes.Add(record);
                        }
                    }
                    catch (IscsiNodeRecordFormatException e)
                    {
                        NodesLog.MalformedRecord(_logger, e.Message);
                        errors.Add(e);
                    }
                }
            }
        }

        nodes.Sort((a, b) =>
        {
            int c = string.CompareOrdinal(a.TargetName, b.TargetName);
            c = c != 0 ? c : string.CompareOrdinal(a.GetValue("node.conn[0].address"), b.GetValue("node.conn[0].address"));
            c = c != 0 ? c : a.Portal.Port.CompareTo(b.Portal.Port);
            c = c != 0 ? c : a.Tpgt.CompareTo(b.Tpgt);
            return c != 0 ? c : string.CompareOrdinal(a.IfaceName, b.IfaceName);
        });
        return new IscsiNodeQueryResult(nodes, errors);
    }

    private IscsiNodeRecord? FindUnlocked(string targetName, IscsiPortal portal, string ifaceName)
    {
        (string? file, _) = LocateUnlocked(targetName, portal, ifaceName);
        return file is null ? null : ReadRecord(file);
    }

    private (string? File, bool OldStyle) LocateUnlocked(string targetName, IscsiPortal portal, string ifaceName)
    {
        string targetDir = Path.Combine(NodesDirectory, targetName);
        if (!Directory.Exists(targetDir))
        {
            return (null, false);
        }

        string prefix = Invariant($"{portal.Address},{portal.Port}");
        foreach (string entry in Directory.EnumerateFileSystemEntries(targetDir))
        {
            string name = Path.GetFileName(entry);
            if (name == prefix && File.Exists(entry))
            {
                // Old style: one file for the portal; its iface is inside.
                string iface = RecordFields.ReadFile(RecordKind.Node, entry).Get("iface.iscsi_ifacename");
                if ((iface.Length == 0 ? "default" : iface) == ifaceName)
                {
                    return (entry, true);
                }
            }
            else if (name.StartsWith(prefix + ",", StringComparison.Ordinal) && File.Exists(Path.Combine(entry, ifaceName)))
            {
                return (Path.Combine(entry, ifaceName), false);
            }
        }

        return (null, false);
    }

    private static IscsiNodeRecord ReadRecord(string file) => new(RecordFields.ReadFile(RecordKind.Node, file));

    private void WriteUnlocked(IscsiNodeRecord record)
    {
        string target = record.TargetName;
        IscsiNodeRecord.ValidateName(target, nameof(record));
        IscsiPortal portal = record.Portal;
        int tpgt = record.Tpgt;
        try
        {
            AtomicFile.CreateDirectory(Options.Root);
            AtomicFile.CreateDirectory(NodesDirectory);
            string targetDir = Path.Combine(NodesDirectory, target);
            AtomicFile.CreateDirectory(targetDir);
            string oldStyle = Path.Combine(targetDir, Invariant($"{portal.Address},{portal.Port}"));
            string path;
            if (tpgt == -1)
            {
                path = oldStyle;
            }
            else
            {
                string portalDir = PortalDirectory(target, portal, tpgt);
                AtomicFile.CreateDirectory(portalDir);
                path = Path.Combine(portalDir, record.IfaceName);
            }

            AtomicFile.Write(Options.Root, path, record.Fields.ToFileBytes());
            if (tpgt != -1 && File.Exists(oldStyle))
            {
                // iscsiadm migrates an old-style record to a portal directory on its first rewrite.
                File.Delete(oldStyle);
            }

            record.Fields.Path = path;
            NodesLog.RecordWritten(_logger, path);
        }
        catch (IOException e)
        {
            throw new IscsiNodeDatabaseException($"Could not write the record of {record}: {e.Message}", e);
        }
    }

    private string PortalDirectory(string target, IscsiPortal portal, int tpgt) =>
        Path.Combine(NodesDirectory, target, Invariant($"{portal.Address},{portal.Port},{tpgt}"));

    /// <summary>iscsid.conf's settings, or null when it cannot be read (iscsiadm: the code defaults stand).</summary>
    private List<(string Key, string Value, bool Raw)>? ReadConfig()
    {
        string path = Path.Combine(Options.ConfigDirectory, "iscsid.conf");
        byte[] buffer;
        int length;
        bool pooled;
        try
        {
            buffer = RecordFile.Read(path, out length, out pooled);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        try
        {
            ReadOnlySpan<byte> data = buffer.AsSpan(0, length);
            return IscsidConf.Parse(data.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? data[3..] : data);
        }
        finally
        {
            RecordFile.Return(buffer, pooled);
        }
    }

    private static void ApplyConfigDefaults(RecordFields fields, string prefix, List<(string Key, string Value, bool Raw)>? config)
    {
        if (config is null)
        {
            return;
        }

        foreach ((string key, string value, bool raw) in config)
        {
            if ((key.StartsWith(prefix, StringComparison.Ordinal) || (prefix == "discovery.sendtargets." && key == "node.session.auth.chap_algs"))
                && fields.IsKnown(key) && key is not "node.name" and not "node.tpgt" and not "node.conn[0].address" and not "node.conn[0].port")
            {
                fields.SetFromFile(key, value, raw);
            }
        }
    }

    private static string? ParseAlias(string text)
    {
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length > 0 && line[0] != '#' && line.Contains("InitiatorAlias", StringComparison.Ordinal) && line.IndexOf('=') is int eq and >= 0)
            {
                string value = line[(eq + 1)..].Trim();
                return value.Length == 0 ? null : value;
            }
        }

        return null;
    }

    private static void DeleteIfEmpty(string directory)
    {
        if (Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
        {
            Directory.Delete(directory);
        }
    }

    /// <summary>The entries of a directory with their type (d_type, stat only when the file system gives none); <paramref name="filesOnly"/>: what <see cref="Directory.EnumerateFiles(string)"/> lists.</summary>
    private static FileSystemEnumerable<(string Path, bool IsDirectory)> Entries(string directory, bool filesOnly) =>
        new(directory, (ref FileSystemEntry e) => (e.ToFullPath(), e.IsDirectory),
            new EnumerationOptions { AttributesToSkip = 0, RecurseSubdirectories = false, IgnoreInaccessible = false })
        {
            ShouldIncludePredicate = filesOnly ? (ref FileSystemEntry e) => !e.IsDirectory : null,
        };

    /// <summary>
    /// <see cref="TryParsePortalName(string, out string?, out int, out int?)"/> without allocating, and false too when
    /// <paramref name="portal"/> is set and the name is another portal's.
    /// </summary>
    private static bool TryParsePortalName(ReadOnlySpan<char> name, IscsiPortal? portal, out int? tpgt)
    {
        tpgt = null;
        int first = name.IndexOf(',');
        if (first <= 0)
        {
            return false;
        }

        ReadOnlySpan<char> address = name[..first];
        ReadOnlySpan<char> rest = name[(first + 1)..];
        int second = rest.IndexOf(',');
        ReadOnlySpan<char> portText = second < 0 ? rest : rest[..second];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port))
        {
            return false;
        }

        if (second >= 0)
        {
            ReadOnlySpan<char> tpgtText = rest[(second + 1)..];
            if (tpgtText.Contains(',') || !int.TryParse(tpgtText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int t))
            {
                return false;
            }

            tpgt = t;
        }

        return portal is null || (address.SequenceEqual(portal.Address) && port == portal.Port);
    }

    /// <summary>Splits <c>ADDR,PORT</c> (old style, tpgt null) or <c>ADDR,PORT,TPGT</c>; IPv6 addresses have no commas.</summary>
    internal static bool TryParsePortalName(string name, out string? address, out int port, out int? tpgt)
    {
        address = null;
        port = 0;
        tpgt = null;
        string[] parts = name.Split(',');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0 ||
            !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out port))
        {
            return false;
        }

        if (parts.Length == 3)
        {
            if (!int.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int t))
            {
                return false;
            }

            tpgt = t;
        }

        address = parts[0];
        return true;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
