using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

using NJsonSchema;

using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Ports;
using EdgeAgent.Privacy.Keys;
using EdgeAgent.TestSupport;

using Xunit.Abstractions;

namespace EdgeAgent.IntegrationTests;

[Trait("Category", "Integration")]
public class ReplayTests(ReplayFixture replay, ITestOutputHelper output) : IClassFixture<ReplayFixture>
{
    [Fact]
    public void Replay_BundledSample_ExitsZeroOnceDrained()
    {
        Assert.True(replay.Run.ExitCode == 0, replay.Run.ToString());
    }

    [Fact]
    public void Replay_BundledSample_PublishesOneReadPerVehiclePass()
    {
        var ids = replay.Reads.Select(m => ReplayFixture.Field(m, "id")).Distinct().ToArray();
        Assert.Equal(replay.Truth.Count, ids.Length);
        Assert.All(ids, id => Assert.True(Ulid.TryParse(id, out _), $"{id} is a ULID"));
    }

    // The plate-trained classifier reads all 28 of the sample's plates exactly (replay --truth); one may go
    // before this fails.
    private const double MinShareReadExactly = 0.96;

    [Fact]
    public void Replay_BundledSample_ReadsAreTheHashesOfPlatesInTheGroundTruth()
    {
        // Recompute what the backend's key holder would: the hash of each true plate on the read's day.
        var hasher = new PlateHasher(replay.Secret, TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));
        var unmatched = new List<string>();
        var matchedPlates = new HashSet<string>(StringComparer.Ordinal);
        foreach (CapturedMessage read in replay.Reads.DistinctBy(m => ReplayFixture.Field(m, "id")))
        {
            var day = DateOnly.ParseExact(ReplayFixture.Field(read, "key_id").Split(':')[1], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            string hash = ReplayFixture.Field(read, "plate_hash");
            string? plate = replay.Truth.Select(t => t.Plate).FirstOrDefault(p => hasher.Hash(CountryCode.GreatBritain, p, day) == hash);
            if (plate is null) unmatched.Add(read.Text);
            else matchedPlates.Add(plate);
        }
        double share = (double)matchedPlates.Count / replay.Truth.Count;
        Assert.True(share >= MinShareReadExactly,
            $"{matchedPlates.Count} of {replay.Truth.Count} plates read exactly ({share:P0}); {unmatched.Count} reads match no true plate:\n{string.Join('\n', unmatched)}");
    }

    [Fact]
    public async Task HashCommand_TruePlateSpacedInLowerCaseOnTheReadsDay_GivesTheReadsHashAndKeyId()
    {
        // What the backend's key holder runs to match its own lists: `edgeagent hash` with its copy of the secret.
        var hasher = new PlateHasher(replay.Secret, TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));
        var (read, plate) = replay.Reads.Select(r => (Read: r, Day: DateOnly.ParseExact(ReplayFixture.Field(r, "key_id").Split(':')[1], "yyyy-MM-dd", CultureInfo.InvariantCulture)))
            .SelectMany(r => replay.Truth.Where(t => hasher.Hash(CountryCode.GreatBritain, t.Plate, r.Day) == ReplayFixture.Field(r.Read, "plate_hash"))
                .Select(t => (r.Read, t.Plate)))
            .First();
        string day = ReplayFixture.Field(read, "key_id").Split(':')[1];
        string typed = SampleTruth.Spellings(plate).Last();   // lower case, spaced: the command normalises
        AgentRun run = await AgentProcess.RunAsync(["hash", "--key", replay.KeyPath, "--date", day, "--plate", typed], TimeSpan.FromMinutes(1));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"plate_hash {ReplayFixture.Field(read, "plate_hash")}", run.Output, StringComparison.Ordinal);
        Assert.Contains(ReplayFixture.Field(read, "key_id"), run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_BundledSample_EveryPayloadMatchesTheContractSchema()
    {
        JsonSchema read = await JsonSchema.FromFileAsync(Path.Combine(RepoPaths.Root, "contract", "v1", "read.schema.json"));
        JsonSchema status = await JsonSchema.FromFileAsync(Path.Combine(RepoPaths.Root, "contract", "v1", "status.schema.json"));
        JsonSchema health = await JsonSchema.FromFileAsync(Path.Combine(RepoPaths.Root, "contract", "v1", "health.schema.json"));
        JsonSchema audit = await JsonSchema.FromFileAsync(Path.Combine(RepoPaths.Root, "contract", "v1", "audit.schema.json"));
        Assert.NotEmpty(replay.Reads);
        Assert.Contains(replay.Messages, m => m.Topic.EndsWith("/audit", StringComparison.Ordinal));
        foreach (CapturedMessage message in replay.Messages)
        {
            JsonSchema schema = message.Topic.EndsWith("/read", StringComparison.Ordinal) ? read
                : message.Topic.EndsWith("/status", StringComparison.Ordinal) ? status
                : message.Topic.EndsWith("/health", StringComparison.Ordinal) ? health
                : message.Topic.EndsWith("/audit", StringComparison.Ordinal) ? audit
                : throw new Xunit.Sdk.XunitException($"unexpected topic {message.Topic}");
            var errors = schema.Validate(message.Text);
            Assert.True(errors.Count == 0, $"{message}: {string.Join("; ", errors)}");
            Assert.StartsWith("anpr/v1/test-site/test-cam/", message.Topic, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Replay_BundledSample_NoRegistrationInAnyFileOrPayload()
    {
        var haystacks = new List<(string Where, byte[] Bytes)>();
        foreach (string file in Directory.EnumerateFiles(replay.Folder, "*", SearchOption.AllDirectories))
            haystacks.Add((file, File.ReadAllBytes(file)));
        Assert.Contains(haystacks, h => h.Where.EndsWith("outbox.db", StringComparison.Ordinal));
        // The evidence images live in the outbox's file; the audit chain beside it. Both are searched, and the
        // images are searched again decoded from the database's blobs, as a recipient would receive them.
        Assert.Contains(haystacks, h => h.Where.EndsWith("audit.jsonl", StringComparison.Ordinal));
        Assert.NotEmpty(replay.Evidence);
        haystacks.AddRange(replay.Evidence.SelectMany(e => new[] { ($"evidence {e.ReadId} plate", e.PlateJpeg!), ($"evidence {e.ReadId} overview", e.OverviewJpeg!) }));
        haystacks.Add(("audit verify output", Encoding.UTF8.GetBytes(replay.AuditVerify.Output + replay.AuditVerify.Errors)));
        haystacks.AddRange(replay.Messages.Select(m => (m.Topic, m.Payload.ToArray())));
        haystacks.Add(("agent stdout+stderr", Encoding.UTF8.GetBytes(replay.Run.Output + replay.Run.Errors)));

        int needles = 0;
        foreach (TruthRow truth in replay.Truth)
        foreach (string spelling in SampleTruth.Spellings(truth.Plate))
        {
            byte[] needle = Encoding.UTF8.GetBytes(spelling);
            needles++;
            foreach (var (where, bytes) in haystacks)
                Assert.False(bytes.AsSpan().IndexOf(needle) >= 0, $"'{spelling}' found in {where}");
        }
        output.WriteLine($"searched for {needles} spellings of {replay.Truth.Count} plates: {haystacks.Count} files, images, payloads and outputs, " +
                         $"{haystacks.Sum(h => (long)h.Bytes.Length)} bytes ({replay.Messages.Count} MQTT payloads, {replay.Evidence.Count} evidence pairs): 0 hits");
    }

    [Fact]
    public void Replay_BundledSample_StatusWasOnlineThenStopped()
    {
        var statuses = replay.Messages.Where(m => m.Topic.EndsWith("/status", StringComparison.Ordinal)).Select(m => ReplayFixture.Field(m, "state")).ToArray();
        Assert.Equal("online", statuses.First());
        Assert.Contains("stopped", replay.Messages.Last(m => m.Topic.EndsWith("/status", StringComparison.Ordinal)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_BundledSample_EvidenceIsKeptPerReadWithinTheSizeCaps()
    {
        var readIds = replay.Reads.Select(m => ReplayFixture.Field(m, "id")).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(replay.Evidence);
        foreach (EvidenceRecord e in replay.Evidence)
        {
            Assert.Contains(e.ReadId, readIds);
            Assert.InRange(e.PlateJpeg!.Length, 1, 3 * 1024);
            Assert.InRange(e.OverviewJpeg!.Length, 1, 25 * 1024);
        }
        // The queue sheds images when redaction falls behind (as fast as a replay runs, it does on a busy
        // machine), and says so: what the agent reports kept is what the outbox holds, and no pass is both.
        Match summary = Regex.Match(replay.Run.Output + replay.Run.Errors, @"Evidence: (\d+) kept, (\d+) dropped .*?, (\d+) redaction failures");
        Assert.True(summary.Success, $"no evidence summary in the output:\n{replay.Run.Output}{replay.Run.Errors}");
        int kept = int.Parse(summary.Groups[1].Value, CultureInfo.InvariantCulture), dropped = int.Parse(summary.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.Equal(replay.Evidence.Count, kept);
        Assert.Equal("0", summary.Groups[3].Value);
        Assert.True(kept + dropped <= readIds.Count, $"{kept} kept and {dropped} dropped of {readIds.Count} reads");
    }

    [Fact]
    public void Replay_BundledSample_AuditChainVerifiesAndMatchesThePublishedHead()
    {
        Assert.True(replay.AuditVerify.ExitCode == 0, replay.AuditVerify.ToString());
        CapturedMessage head = replay.Messages.Last(m => m.Topic.EndsWith("/audit", StringComparison.Ordinal));
        Assert.True(head.Retain || replay.Messages.Count(m => m.Topic.EndsWith("/audit", StringComparison.Ordinal)) >= 1);
        string hash = ReplayFixture.Field(head, "hash");
        Assert.Contains(hash, replay.AuditVerify.Output, StringComparison.Ordinal);
    }
}
