using IscsiNative.VmTests.Infrastructure;

namespace IscsiNative.VmTests.Harness;

/// <summary>The harness's LIO helper: it must leave configfs and /var/tmp/lio as it found them.</summary>
[Trait(HarnessSelfCheck.Trait, HarnessSelfCheck.Value)]
[Collection(VmCollection.Name)]
public sealed class LioTargetTests
{
    [VmFact]
    public void Disposing_a_LIO_target_removes_its_configfs_tree_and_backing_files()
    {
        string iqn = LioTarget.UniqueIqn(nameof(Disposing_a_LIO_target_removes_its_configfs_tree_and_backing_files));
        var target = LioTarget.Create(new LioTargetOptions(iqn) { LunCount = 3, InitiatorIqn = "iqn.1993-08.org.example:acl", Chap = new("u", "secret-secret-1", "m", "secret-secret-2") });
        string hba = Path.Combine(LioTarget.ConfigfsRoot, "core", $"fileio_{target.Id}");
        Assert.Equal("1", SysfsProbe.ReadAttribute(target.TpgDirectory, "enable"));
        Assert.Equal(3, Directory.GetDirectories(Path.Combine(target.TpgDirectory, "lun")).Length);
        Assert.Equal("secret-secret-1", File.ReadAllText(Path.Combine(target.TpgDirectory, "acls", "iqn.1993-08.org.example:acl", "auth", "password")).TrimEnd('\n'));
        Assert.True(Directory.Exists(hba));

        target.Dispose();

        Assert.False(Directory.Exists(Path.Combine(LioTarget.ConfigfsRoot, "iscsi", iqn)));
        Assert.False(Directory.Exists(hba));
        Assert.All(target.BackingFiles, f => Assert.False(File.Exists(f)));
    }
}
