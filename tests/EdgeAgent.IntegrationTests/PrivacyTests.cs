using System.Text;
using System.Text.Json;

using NJsonSchema;

using EdgeAgent.Core.Ports;
using EdgeAgent.TestSupport;

using Xunit.Abstractions;

using static EdgeAgent.IntegrationTests.PrivacyFixture;

namespace EdgeAgent.IntegrationTests;

[Trait("Category", "Integration")]
public class PrivacyTests(PrivacyFixture unit, ITestOutputHelper output) : IClassFixture<PrivacyFixture>
{
    private static Task<JsonSchema> Schema(string name) => JsonSchema.FromFileAsync(Path.Combine(RepoPaths.Root, "contract", "v1", name));

    [Fact]
    public void Run_BothRuns_StopCleanlyOnSigterm()
    {
        Assert.True(unit.FirstRunExit == 0 && unit.SecondRunExit == 0, $"exits {unit.FirstRunExit}, {unit.SecondRunExit}\n{unit.AgentOutput}");
    }

    [Fact]
    public void PolicyFile_SignedByTheAuthority_IsAcceptedAndAudited()
    {
        AuditEntry accepted = Assert.Single(unit.AuditAfterFirstRun, e => e.Kind == AuditKinds.PolicyAccepted);
        Assert.Equal("2", accepted.Details["version"]);
        Assert.Equal(unit.AuthorityKeyId, accepted.Details["authority_key"]);
        Assert.StartsWith("file ", accepted.Details["source"], StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_TwoRecipients_EachGetsOnlyTheFieldsItsPolicyAllows()
    {
        var police = unit.Messages.Where(m => m.Topic == PoliceRoot + "/read").ToArray();
        var charging = unit.Messages.Where(m => m.Topic == ChargingRoot + "/read").ToArray();
        Assert.NotEmpty(police);
        Assert.NotEmpty(charging);
        foreach (CapturedMessage m in police)
        {
            using JsonDocument doc = m.Json();
            Assert.Equal(["historical", "id", "key_id", "plate_hash", "time", "v"], doc.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        }
        // Every read the police got, the charging recipient got too, with the same id.
        var chargingIds = charging.Select(m => Field(m, "id")).ToHashSet(StringComparer.Ordinal);
        Assert.All(police, m => Assert.Contains(Field(m, "id"), chargingIds));
    }

    [Fact]
    public async Task EvidenceRequest_FromARecipientAllowedEvidence_GetsRedactedCappedJpegsAndIsAudited()
    {
        var errors = (await Schema("evidence-response.schema.json")).Validate(unit.EvidenceOk.Text);
        Assert.True(errors.Count == 0, string.Join("; ", errors));
        using JsonDocument doc = unit.EvidenceOk.Json();
        byte[] plate = doc.RootElement.GetProperty("plate_jpeg").GetBytesFromBase64();
        byte[] overview = doc.RootElement.GetProperty("overview_jpeg").GetBytesFromBase64();
        Assert.InRange(plate.Length, 1, 3 * 1024);
        Assert.InRange(overview.Length, 1, 25 * 1024);
        Assert.Equal([0xFF, 0xD8], plate[..2]);   // JPEG
        Assert.Equal(unit.ReadId, Field(unit.EvidenceOk, "read_id"));

        AuditEntry disclosed = Assert.Single(unit.AuditAfterFirstRun, e => e.Kind == AuditKinds.EvidenceDisclosed);
        Assert.Equal("police", disclosed.Details["recipient"]);
        Assert.Equal(unit.ReadId, disclosed.Details["read_id"]);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(overview)), disclosed.Details["overview_sha256"]);
    }

    [Fact]
    public void EvidenceRequest_FromTheChargingRecipient_IsRefusedWithoutImagesAndAudited()
    {
        Assert.Equal("refused", Field(unit.ChargingRefusal, "status"));
        Assert.DoesNotContain("jpeg", unit.ChargingRefusal.Text, StringComparison.Ordinal);
        Assert.Contains(unit.AuditAfterFirstRun, e => e.Kind == AuditKinds.EvidenceRefused && e.Details["recipient"] == "charging" && e.Details["status"] == "refused");
    }

    [Fact]
    public async Task PolicyOverMqtt_UnsignedOrWronglySigned_IsRefusedWithAClearMessageAndTheOldOneStays()
    {
        JsonSchema schema = await Schema("policy-result.schema.json");
        foreach (CapturedMessage result in new[] { unit.UnsignedResult, unit.StrangerResult })
        {
            Assert.Empty(schema.Validate(result.Text));
            Assert.Equal("False", Field(result, "accepted"));
            Assert.Equal("2", Field(result, "version_in_force"));
        }
        Assert.Contains("not signed", Field(unit.UnsignedResult, "message"), StringComparison.Ordinal);
        Assert.Contains($"trusts only authority key {unit.AuthorityKeyId}", Field(unit.StrangerResult, "message"), StringComparison.Ordinal);
        Assert.Equal(2, unit.AuditAfterFirstRun.Count(e => e.Kind == AuditKinds.PolicyRefused));
        Assert.True(unit.PoliceReadsAfterRefusals > 0);
    }

    [Fact]
    public async Task AuditHead_IsPublishedRetainedMatchesTheSchemaAndIsInTheChain()
    {
        JsonSchema schema = await Schema("audit.schema.json");
        var heads = unit.Messages.Where(m => m.Topic == ChargingRoot + "/audit").ToArray();
        Assert.NotEmpty(heads);
        Assert.All(heads, h => Assert.Empty(schema.Validate(h.Text)));
        var hashes = unit.AuditAfterSecondRun.Select(e => e.Hash).Append(AuditHead.GenesisHash).ToHashSet(StringComparer.Ordinal);
        Assert.All(heads, h => Assert.Contains(Field(h, "hash"), hashes));
        // The newest head published can be checked against the chain by anyone who kept it.
        AgentRun check = await AgentProcess.RunAsync(["audit", "verify", "--path", unit.AuditPath, "--head", Field(heads[^1], "hash")], TimeSpan.FromMinutes(1));
        Assert.True(check.ExitCode == 0, check.ToString());
    }

    [Fact]
    public void AuditVerify_AfterEachRun_ChainIsIntact()
    {
        Assert.True(unit.VerifyAfterFirstRun.ExitCode == 0, unit.VerifyAfterFirstRun.ToString());
        Assert.True(unit.VerifyAfterSecondRun.ExitCode == 0, unit.VerifyAfterSecondRun.ToString());
        Assert.Equal(unit.AuditAfterFirstRun.Select(e => e.Hash), unit.AuditAfterSecondRun.Take(unit.AuditAfterFirstRun.Count).Select(e => e.Hash));
    }

    [Theory]
    [InlineData("edit")]
    [InlineData("delete")]
    [InlineData("reorder")]
    public async Task AuditVerify_TamperedChain_ExitsFiveNamingTheFirstBadLine(string tamper)
    {
        using var dir = new TempDirectory();
        var lines = File.ReadAllLines(unit.AuditPath).ToList();
        Assert.True(lines.Count >= 4);
        switch (tamper)
        {
            case "edit":
                lines[2] = lines[2].Replace("\"kind\":\"", "\"kind\":\"x", StringComparison.Ordinal);
                break;
            case "delete":
                lines.RemoveAt(2);
                break;
            default:
                (lines[2], lines[3]) = (lines[3], lines[2]);
                break;
        }
        string path = dir.File("audit.jsonl");
        File.WriteAllLines(path, lines);
        AgentRun run = await AgentProcess.RunAsync(["audit", "verify", "--path", path], TimeSpan.FromMinutes(1));
        Assert.True(run.ExitCode == 5, run.ToString());
        Assert.Contains("broken at line 3", run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyVerify_UnsignedFile_ExitsFive()
    {
        using var dir = new TempDirectory();
        string unsigned = dir.File("unsigned.json");
        File.WriteAllText(unsigned, $"{{\"policy\": {PolicyJson(9)}}}");
        AgentRun run = await AgentProcess.RunAsync(["policy", "verify", unsigned, "--authority-key", Path.Combine(unit.Folder, "authority.pub")], TimeSpan.FromMinutes(1));
        Assert.True(run.ExitCode == 5, run.ToString());
        Assert.Contains("not signed", run.Errors, StringComparison.Ordinal);
        AgentRun valid = await AgentProcess.RunAsync(["policy", "verify", Path.Combine(unit.Folder, "policy.json"), "--authority-key", Path.Combine(unit.Folder, "authority.pub")], TimeSpan.FromMinutes(1));
        Assert.True(valid.ExitCode == 0, valid.ToString());
    }

    [Fact]
    public void Retention_ZeroHours_PurgesEvidenceAndDeliveredReadsAuditedAndTheImageBytesAreGoneFromDisk()
    {
        var purged = unit.AuditAfterSecondRun.Where(e => e.Kind == AuditKinds.RetentionPurged).ToArray();
        Assert.Contains(purged, e => e.Details["what"] == "evidence" && int.Parse(e.Details["count"], System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Contains(purged, e => e.Details["what"] == "delivered_reads");

        using JsonDocument doc = unit.EvidenceOk.Json();
        byte[] overview = doc.RootElement.GetProperty("overview_jpeg").GetBytesFromBase64();
        byte[] middle = overview[(overview.Length / 2)..(overview.Length / 2 + 64)];   // a slice no other file would hold by chance
        foreach (string file in Directory.EnumerateFiles(unit.Folder, "*", SearchOption.AllDirectories))
            Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf(middle) < 0, $"a purged image is still in {file}");
    }

    [Fact]
    public void NoRegistration_InAnyFileLogOrPayloadOfTheScenario()
    {
        var haystacks = Directory.EnumerateFiles(unit.Folder, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".mp4", StringComparison.Ordinal))   // the video itself shows the plate, of course
            .Select(f => (Where: f, Bytes: File.ReadAllBytes(f))).ToList();
        Assert.Contains(haystacks, h => h.Where.EndsWith("audit.jsonl", StringComparison.Ordinal));
        Assert.Contains(haystacks, h => h.Where.EndsWith("policy.accepted.json", StringComparison.Ordinal));
        // The WAL holds the newest pages until a checkpoint: searched as it was while the agent ran.
        Assert.Contains(unit.FilesWhileRunning, f => f.Where.Contains("outbox.db-wal", StringComparison.Ordinal) && f.Bytes.Length > 0);
        haystacks.AddRange(unit.FilesWhileRunning.Where(f => !f.Where.Contains(".mp4", StringComparison.Ordinal)));
        // The search does find what is there: the read's id, stored as text beside its hashed event.
        byte[] readId = Encoding.UTF8.GetBytes(unit.ReadId);
        Assert.Contains(unit.FilesWhileRunning, f => f.Where.Contains("outbox.db", StringComparison.Ordinal) && f.Bytes.AsSpan().IndexOf(readId) >= 0);
        haystacks.AddRange(unit.Messages.Select(m => (m.Topic, m.Payload.ToArray())));
        haystacks.Add(("agent output", Encoding.UTF8.GetBytes(unit.AgentOutput)));
        string[] spellings = [.. SampleTruth.Spellings(Plate)];
        foreach (string spelling in spellings)
        {
            byte[] needle = Encoding.UTF8.GetBytes(spelling);
            foreach (var (where, bytes) in haystacks)
                Assert.False(bytes.AsSpan().IndexOf(needle) >= 0, $"'{spelling}' found in {where}");
        }
        output.WriteLine($"searched for {string.Join(", ", spellings)}: {haystacks.Count} files, payloads and outputs, {haystacks.Sum(h => (long)h.Bytes.Length)} bytes " +
                         $"(outbox WAL while running {unit.FilesWhileRunning.Where(f => f.Where.Contains("-wal", StringComparison.Ordinal)).Sum(f => f.Bytes.Length)} bytes, " +
                         $"{unit.Messages.Count} MQTT payloads): 0 hits");
    }
}
