using System.Globalization;
using System.Text;

namespace IscsiNative.VmTests.Infrastructure;

/// <summary>
/// A LIO iSCSI target built through configfs (no targetcli): file-backed LUNs on sparse files in /var/tmp/lio,
/// one portal, demo mode or an explicit ACL with optional (mutual) CHAP. <see cref="Dispose"/> removes everything
/// it created, in reverse order of creation (ACL LUN links, ACLs, portal, LUN links, LUNs, TPG, target, backstores).
/// </summary>
public sealed class LioTarget : IDisposable
{
    /// <summary>The configfs root of LIO.</summary>
    public const string ConfigfsRoot = "/sys/kernel/config/target";

    /// <summary>The directory of the LUN backing files.</summary>
    public const string BackingDirectory = "/var/tmp/lio";

    /// <summary>The IQN prefix of every test target.</summary>
    public const string IqnPrefix = "iqn.2003-01.org.linux-iscsi.vmtest:";

    private static int s_counter;

    // What was created, in order: ("dir"|"link"|"file", path). Dispose undoes it backwards.
    private readonly List<(char Kind, string Path)> _created = [];
    private readonly string[] _backingFiles;
    private bool _disposed;

    private LioTarget(LioTargetOptions options, int id)
    {
        Options = options;
        Id = id;
        _backingFiles = new string[options.LunCount];
        for (int i = 0; i < options.LunCount; i++)
        {
            _backingFiles[i] = Path.Combine(BackingDirectory, $"vmtest-{id}-lun{i}.img");
        }
    }

    /// <summary>Gets what this target was built from.</summary>
    public LioTargetOptions Options { get; }

    /// <summary>Gets the target IQN.</summary>
    public string Iqn => Options.Iqn;

    /// <summary>Gets the portal as iscsiadm writes it: ADDRESS:PORT.</summary>
    public string Portal => $"{Options.Address}:{Options.Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Gets the configfs directory of the target portal group.</summary>
    public string TpgDirectory => Path.Combine(ConfigfsRoot, "iscsi", Iqn, "tpgt_1");

    /// <summary>Gets the backing files, by LUN.</summary>
    public IReadOnlyList<string> BackingFiles => _backingFiles;

    /// <summary>Gets the process-unique number of this target (also names its fileio HBA).</summary>
    public int Id { get; }

    /// <summary>Returns a fresh target IQN for a test: iqn.2003-01.org.linux-iscsi.vmtest:&lt;name&gt;-&lt;n&gt;.</summary>
    /// <param name="testName">Usually nameof(the test method); lowered and reduced to IQN characters.</param>
    /// <returns>An IQN no other target of this run uses.</returns>
    public static string UniqueIqn(string testName)
    {
        var sb = new StringBuilder(IqnPrefix);
        foreach (char c in testName.ToLowerInvariant())
        {
            sb.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-' ? c : '-');
            if (sb.Length >= IqnPrefix.Length + 64)
            {
                break;
            }
        }

        return sb.Append('-').Append(Interlocked.Increment(ref s_counter).ToString(CultureInfo.InvariantCulture)).ToString();
    }

    /// <summary>Creates and enables the target.</summary>
    /// <param name="options">What to build.</param>
    /// <returns>The live target; dispose it to remove it.</returns>
    /// <exception cref="ArgumentException">CHAP without an initiator IQN, or no LUNs.</exception>
    /// <exception cref="IOException">configfs refused a step (everything created so far is removed again).</exception>
    public static LioTarget Create(LioTargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Chap is not null && options.InitiatorIqn is null)
        {
            throw new ArgumentException("CHAP needs an ACL: set InitiatorIqn", nameof(options));
        }

        if (options.LunCount < 1)
        {
            throw new ArgumentException("at least one LUN", nameof(options));
        }

        var target = new LioTarget(options, 1000 + Interlocked.Increment(ref s_counter));
        try
        {
            target.Build();
            return target;
        }
        catch
        {
            target.Dispose();
            throw;
        }
    }

    /// <summary>Enables or disables the portal group. Disabling drops the sessions (the initiator sees FAILED).</summary>
    /// <param name="enabled">The new state.</param>
    /// <exception cref="IOException">configfs refused the write.</exception>
    public void SetEnabled(bool enabled) => Write(Path.Combine(TpgDirectory, "enable"), enabled ? "1" : "0");

    /// <summary>Writes <paramref name="data"/> into the backing file of <paramref name="lun"/> at <paramref name="offset"/>.</summary>
    /// <param name="lun">The LUN.</param>
    /// <param name="offset">The byte offset in the LUN.</param>
    /// <param name="data">The bytes.</param>
    public void WriteLun(int lun, long offset, ReadOnlySpan<byte> data)
    {
        using var handle = File.OpenHandle(_backingFiles[lun], FileMode.Open, FileAccess.Write);
        RandomAccess.Write(handle, data, offset);
        RandomAccess.FlushToDisk(handle);
    }

    /// <summary>Grows a LUN: extends its sparse backing file and tells LIO the new size (fd_dev_size).</summary>
    /// <param name="lun">The LUN.</param>
    /// <param name="sizeBytes">The new size.</param>
    public void ResizeLun(int lun, long sizeBytes)
    {
        using (var f = new FileStream(_backingFiles[lun], FileMode.Open, FileAccess.Write))
        {
            f.SetLength(sizeBytes);
        }

        string hba = Path.Combine(ConfigfsRoot, "core", $"fileio_{Id.ToString(CultureInfo.InvariantCulture)}");
        Write(Path.Combine(hba, "lun" + lun.ToString(CultureInfo.InvariantCulture), "control"), $"fd_dev_size={sizeBytes.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>Disables the target and removes everything it created. Never throws; problems go to stderr.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (Directory.Exists(TpgDirectory))
        {
            TryUndo(() => SetEnabled(false), "disable " + TpgDirectory);
        }

        if (Options.SecondGroupAddress is not null && Directory.Exists(Path.Combine(ConfigfsRoot, "iscsi", Iqn, "tpgt_2")))
        {
            TryUndo(() => SetSecondGroupEnabled(false), "disable tpgt_2");
        }

        for (int i = _created.Count - 1; i >= 0; i--)
        {
            (char kind, string path) = _created[i];
            TryUndo(
                () =>
                {
                    switch (kind)
                    {
                        case 'l' or 'f':
                            File.Delete(path);
                            break;
                        default:
                            Directory.Delete(path, recursive: false);
                            break;
                    }
                },
                "remove " + path);
        }

        _created.Clear();
    }

    private static void TryUndo(Action action, string what)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"LioTarget: could not {what}: {e.Message}");
        }
    }

    /// <summary>Writes a configfs attribute exactly (no trailing newline: LIO keeps it in CHAP strings).</summary>
    private static void Write(string path, string value)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        stream.Write(Encoding.ASCII.GetBytes(value));
    }

    private void Build()
    {
        LioTargetOptions o = Options;
        Directory.CreateDirectory(Path.Combine(ConfigfsRoot, "iscsi"));
        Directory.CreateDirectory(BackingDirectory);

        // Backstores: one fileio HBA per target, one device per LUN.
        string hba = Path.Combine(ConfigfsRoot, "core", $"fileio_{Id.ToString(CultureInfo.InvariantCulture)}");
        MakeDirectory(hba);
        var devices = new string[o.LunCount];
        for (int lun = 0; lun < o.LunCount; lun++)
        {
            string file = _backingFiles[lun];
            using (var f = new FileStream(file, FileMode.Create, FileAccess.Write))
            {
                f.SetLength(o.LunSizeBytes); // sparse
            }

            _created.Add(('f', file));
            devices[lun] = Path.Combine(hba, "lun" + lun.ToString(CultureInfo.InvariantCulture));
            MakeDirectory(devices[lun]);
            Write(Path.Combine(devices[lun], "control"), $"fd_dev_name={file},fd_dev_size={o.LunSizeBytes.ToString(CultureInfo.InvariantCulture)}");
            Write(Path.Combine(devices[lun], "enable"), "1");
            if (o.UnitSerial)
            {
                Write(Path.Combine(devices[lun], "wwn", "vpd_unit_serial"), Guid.NewGuid().ToString());
            }
        }

        // Target, portal group, LUNs, portal.
        MakeDirectory(Path.Combine(ConfigfsRoot, "iscsi", Iqn));
        MakeDirectory(TpgDirectory);
        for (int lun = 0; lun < o.LunCount; lun++)
        {
            string lunDir = Path.Combine(TpgDirectory, "lun", "lun_" + lun.ToString(CultureInfo.InvariantCulture));
            MakeDirectory(lunDir);
            MakeLink(Path.Combine(lunDir, "lun"), devices[lun]);
        }

        MakeDirectory(Path.Combine(TpgDirectory, "np", Portal));

        string attrib = Path.Combine(TpgDirectory, "attrib");
        if (o.InitiatorIqn is null)
        {
            Write(Path.Combine(attrib, "generate_node_acls"), "1");
            Write(Path.Combine(attrib, "cache_dynamic_acls"), "1");
            Write(Path.Combine(attrib, "demo_mode_write_protect"), "0");
            Write(Path.Combine(attrib, "authentication"), "0");
        }
        else
        {
            Write(Path.Combine(attrib, "generate_node_acls"), "0");
            string acl = Path.Combine(TpgDirectory, "acls", o.InitiatorIqn);
            MakeDirectory(acl);
            for (int lun = 0; lun < o.LunCount; lun++)
            {
                string name = "lun_" + lun.ToString(CultureInfo.InvariantCulture);
                string mapped = Path.Combine(acl, name);
                MakeDirectory(mapped);
                MakeLink(Path.Combine(mapped, "lun"), Path.Combine(TpgDirectory, "lun", name));
            }

            if (o.Chap is { } chap)
            {
                string auth = Path.Combine(acl, "auth");
                Write(Path.Combine(auth, "userid"), chap.UserId);
                Write(Path.Combine(auth, "password"), chap.Password);
                if (chap.IsMutual)
                {
                    Write(Path.Combine(auth, "userid_mutual"), chap.MutualUserId!);
                    Write(Path.Combine(auth, "password_mutual"), chap.MutualPassword!);
                }
            }

            Write(Path.Combine(attrib, "authentication"), o.Chap is null ? "0" : "1");
        }

        SetEnabled(true);
        if (o.SecondGroupAddress is { } second)
        {
            string tpg2 = Path.Combine(ConfigfsRoot, "iscsi", Iqn, "tpgt_2");
            MakeDirectory(tpg2);
            for (int lun = 0; lun < o.LunCount; lun++)
            {
                string lunDir = Path.Combine(tpg2, "lun", "lun_" + lun.ToString(CultureInfo.InvariantCulture));
                MakeDirectory(lunDir);
                MakeLink(Path.Combine(lunDir, "lun"), devices[lun]);
            }

            MakeDirectory(Path.Combine(tpg2, "np", $"{second}:{o.Port.ToString(CultureInfo.InvariantCulture)}"));
            string attrib2 = Path.Combine(tpg2, "attrib");
            Write(Path.Combine(attrib2, "generate_node_acls"), "1");
            Write(Path.Combine(attrib2, "cache_dynamic_acls"), "1");
            Write(Path.Combine(attrib2, "demo_mode_write_protect"), "0");
            Write(Path.Combine(attrib2, "authentication"), "0");
            SetSecondGroupEnabled(true);
        }
    }

    /// <summary>Enables or disables the second portal group (sessions through it go FAILED while disabled).</summary>
    /// <param name="enabled">The new state.</param>
    public void SetSecondGroupEnabled(bool enabled) =>
        Write(Path.Combine(ConfigfsRoot, "iscsi", Iqn, "tpgt_2", "enable"), enabled ? "1" : "0");

    private void MakeDirectory(string path)
    {
        Directory.CreateDirectory(path);
        _created.Add(('d', path));
    }

    private void MakeLink(string path, string target)
    {
        File.CreateSymbolicLink(path, target);
        _created.Add(('l', path));
    }
}
