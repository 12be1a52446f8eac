using EdgeAgent.Core.Ports;
using EdgeAgent.Privacy.Keys;
using EdgeAgent.Storage.Audit;
using EdgeAgent.TestSupport;

namespace EdgeAgent.Privacy.Tests;

public class KeyRotationTests
{
    [Fact]
    public void Rotate_ExistingSecret_NewKeyIdOwnerOnlyAndAuditedWithBothIds()
    {
        using var dir = new TempDirectory();
        UnitSecret old = UnitSecret.Create(dir.File("unit.key"));
        var audit = new AuditLogFile(dir.File("audit.jsonl"));
        UnitSecret rotated = UnitSecret.Rotate(old.Path, (oldId, newId) =>
            audit.Append(AuditKinds.KeyRotated, new Dictionary<string, string> { ["old_key_id"] = oldId, ["new_key_id"] = newId }));

        Assert.NotEqual(old.KeyId, rotated.KeyId);
        Assert.Equal(rotated.KeyId, UnitSecret.Load(old.Path).KeyId);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(old.Path));
        AuditEntry entry = Assert.Single(AuditVerifier.ReadAll(audit.Path));
        Assert.Equal(old.KeyId, entry.Details["old_key_id"]);
        Assert.Equal(rotated.KeyId, entry.Details["new_key_id"]);
        Assert.Single(Directory.EnumerateFiles(dir.Path, "unit.key*"));
    }

    [Fact]
    public void Rotate_WhenTheAuditCannotBeWritten_KeepsTheOldSecret()
    {
        using var dir = new TempDirectory();
        UnitSecret old = UnitSecret.Create(dir.File("unit.key"));
        Assert.Throws<IOException>(() => UnitSecret.Rotate(old.Path, (_, _) => throw new IOException("disk full")));
        Assert.Equal(old.KeyId, UnitSecret.Load(old.Path).KeyId);
        Assert.Single(Directory.EnumerateFiles(dir.Path, "unit.key*"));
    }
}
