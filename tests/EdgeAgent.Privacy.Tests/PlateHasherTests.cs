using System.Security.Cryptography;
using System.Text;

using EdgeAgent.Core.Configuration;
using EdgeAgent.Core.Plates;
using EdgeAgent.Privacy.Keys;
using EdgeAgent.TestSupport;

namespace EdgeAgent.Privacy.Tests;

public class PlateHasherTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    private static (UnitSecret Secret, byte[] Bytes) KnownSecret(TempDirectory dir)
    {
        byte[] bytes = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        string path = dir.File("unit.key");
        File.WriteAllText(path, "edgeagent-unit-secret/1\n" + Convert.ToBase64String(bytes) + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return (UnitSecret.Load(path), bytes);
    }

    [Fact]
    public void Hash_KnownPlateDateAndKey_EqualsAnIndependentHkdfAndHmac()
    {
        using var dir = new TempDirectory();
        var (secret, bytes) = KnownSecret(dir);
        var hasher = new PlateHasher(secret, London);

        // Recomputed here from the scheme's definition with the base library only.
        byte[] dayKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, bytes, 32, salt: [], Encoding.ASCII.GetBytes("edgeagent/plate-hash/v1/2026-11-23"));
        string expected = Convert.ToHexStringLower(HMACSHA256.HashData(dayKey, Encoding.ASCII.GetBytes("GB:AB12CDE")));

        Assert.Equal(expected, hasher.Hash(CountryCode.GreatBritain, "ab12 cde", new DateOnly(2026, 11, 23)));
        Assert.Equal($"{secret.KeyId}:2026-11-23", hasher.KeyIdFor(new DateOnly(2026, 11, 23)));
    }

    [Fact]
    public void Hash_SamePlateOnAnotherDay_IsUnlinkable()
    {
        using var dir = new TempDirectory();
        var hasher = new PlateHasher(KnownSecret(dir).Secret, London);
        string monday = hasher.Hash(CountryCode.GreatBritain, "AB12CDE", new DateOnly(2026, 11, 23));
        string tuesday = hasher.Hash(CountryCode.GreatBritain, "AB12CDE", new DateOnly(2026, 11, 24));
        Assert.NotEqual(monday, tuesday);
        Assert.Equal(monday, hasher.Hash(CountryCode.GreatBritain, "AB12CDE", new DateOnly(2026, 11, 23)));
    }

    [Fact]
    public void ChargingDay_JustAfterMidnightInLondonSummerTime_IsTheLondonDate()
    {
        using var dir = new TempDirectory();
        var hasher = new PlateHasher(KnownSecret(dir).Secret, London);
        // 23:30 UTC on 1 July is 00:30 BST on 2 July: the charging day is the 2nd.
        Assert.Equal(new DateOnly(2026, 7, 2), hasher.ChargingDay(new DateTimeOffset(2026, 7, 1, 23, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Load_FileReadableByOthers_IsRefusedWithTheFix()
    {
        using var dir = new TempDirectory();
        string path = UnitSecret.Create(dir.File("unit.key")).Path;
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var e = Assert.Throws<ConfigurationProblemException>(() => UnitSecret.Load(path));
        Assert.Contains("chmod 600", e.Message, StringComparison.Ordinal);
        Assert.Contains("0644", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NewSecret_IsOwnerOnlyAndLoadsBack()
    {
        using var dir = new TempDirectory();
        UnitSecret created = UnitSecret.Create(dir.File("keys/unit.key"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(created.Path));
        Assert.Equal(created.KeyId, UnitSecret.Load(created.Path).KeyId);
        Assert.Matches("^[0-9a-f]{8}$", created.KeyId);
    }

    [Fact]
    public void Create_ExistingSecretWithoutForce_IsRefused()
    {
        using var dir = new TempDirectory();
        UnitSecret first = UnitSecret.Create(dir.File("unit.key"));
        Assert.Throws<ConfigurationProblemException>(() => UnitSecret.Create(first.Path));
        Assert.Equal(first.KeyId, UnitSecret.Load(first.Path).KeyId);
        Assert.NotEqual(first.KeyId, UnitSecret.Create(first.Path, overwrite: true).KeyId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("edgeagent-unit-secret/1\nnot base64!\n")]
    [InlineData("edgeagent-unit-secret/1\nAAAA\n")]
    [InlineData("-----BEGIN PRIVATE KEY-----\n")]
    public void Load_NotASecretFile_SaysHowToMakeOne(string content)
    {
        using var dir = new TempDirectory();
        string path = dir.File("unit.key");
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var e = Assert.Throws<ConfigurationProblemException>(() => UnitSecret.Load(path));
        Assert.Contains("keys init", e.Message, StringComparison.Ordinal);
    }
}
