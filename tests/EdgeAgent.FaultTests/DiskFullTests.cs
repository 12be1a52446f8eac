using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Reads;
using EdgeAgent.Storage;
using EdgeAgent.TestSupport;

using Xunit.Abstractions;

namespace EdgeAgent.FaultTests;

[Trait("Category", "Integration")]
public sealed class DiskFullTests(ITestOutputHelper output) : IDisposable
{
    private readonly FaultRig _rig = new(output);

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task Run_OutboxFilesystemFillsUp_KeepsRunningEvictsOldestUnsentReportsAndLogsIt()
    {
        string clip = await FaultVideos.FourPassesAsync();
        using var tmpfs = SmallFilesystem.Mount(sizeKb: 4096);
        string outboxPath = Path.Combine(tmpfs.Path, "outbox.db");

        // A backlog from a long outage: unsent reads filling about half the little disk.
        int prefilled = 0;
        var backlogIds = new HashSet<string>(StringComparer.Ordinal);
        using (var outbox = new SqliteOutbox(outboxPath))
        {
            try
            {
                while (outbox.LiveBytes() < 1_500_000)
                {
                    PlateReadEvent read = Read(++prefilled);
                    backlogIds.Add(read.Id);
                    outbox.Append(read);
                }
            }
            catch (Microsoft.Data.Sqlite.SqliteException e)
            {
                string files = string.Join(", ", Directory.GetFiles(tmpfs.Path).Select(f => $"{Path.GetFileName(f)} {new FileInfo(f).Length}"));
                throw new InvalidOperationException($"prefill stopped at read {prefilled}, live {outbox.LiveBytes()}: {files}", e);
            }
            Assert.Equal(0, outbox.EvictedUnsent);
        }

        await using var broker = await MosquittoBroker.StartAsync();
        await broker.StopAsync();   // the link is down: nothing drains while the disk fills
        using var agent = AgentHandle.Start(
        [
            "run", $"--Camera:Source={clip}", .. _rig.Settings(broker, outboxPath: outboxPath),
            "--Storage:MinFreeBytes=1048576", "--Storage:ReserveBytes=262144", "--Health:IntervalSeconds=1",
        ], _rig.Folder);
        Assert.True(await agent.WaitForOutputAsync("[1001]", TimeSpan.FromMinutes(2)), agent.Output);

        long filler = tmpfs.FillUp();   // something else on the box takes every byte left
        Assert.True(await agent.WaitForOutputAsync("[3101]", TimeSpan.FromMinutes(1)), "no eviction was logged:\n" + agent.Output);
        Assert.False(agent.HasExited, agent.Output);

        await broker.RestartAsync();
        await using var capture = await MqttCapture.StartAsync(broker, "anpr/v1/#");
        var messages = await capture.WaitForAsync(all => FaultRig.Health(all).Any(h => Recorded(h) > 0 && Evicted(h) > 0), TimeSpan.FromMinutes(3));
        Assert.False(agent.HasExited, agent.Output);
        int exit = await agent.StopAsync(TimeSpan.FromSeconds(60));
        tmpfs.RemoveFiller();
        string auditPath = Path.Combine(tmpfs.Path, "audit.jsonl");
        var audited = File.ReadAllLines(auditPath).Where(l => l.Contains("\"outbox.evicted\"", StringComparison.Ordinal)).ToList();
        var verify = await AgentProcess.RunAsync(["audit", "verify", "--path", auditPath], TimeSpan.FromMinutes(1), _rig.Folder);

        var health = FaultRig.Health(messages).ToList();
        await FaultRig.AssertMatchesHealthSchemaAsync(health);
        CapturedMessage last = health[^1];
        var rows = OutboxFile.Rows(outboxPath);
        long firstKept = rows.Where(r => r.Seq <= prefilled).Select(r => r.Seq).DefaultIfEmpty(prefilled + 1).Min();
        string integrity = OutboxFile.IntegrityCheck(outboxPath);
        var evictionLines = agent.Output.Split('\n').Where(l => l.Contains("[3101]", StringComparison.Ordinal)).ToList();
        // The reads the agent itself accepted in this run (after the backlog): each still in the outbox, or
        // delivered (a delivered read may be purged by a later eviction); none given up.
        var agentRows = rows.Where(r => r.Seq > prefilled).ToList();
        var rowIds = rows.Select(r => r.Id).ToHashSet();
        int deliveredThenPurged = FaultRig.Reads(capture.Messages).Select(FaultRig.Id).Distinct()
            .Count(id => !backlogIds.Contains(id) && !rowIds.Contains(id));
        long accepted = agentRows.Count == 0 ? 0 : agentRows[^1].Seq - prefilled;
        long newestGivenUp = evictionLines.Select(l => System.Text.RegularExpressions.Regex.Match(l, @"unsent read\(s\) given up \(#\d+\.\.#(\d+)"))
            .Where(m => m.Success).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();
        _rig.Figure($"disk full: 4 MB tmpfs, {prefilled} unsent reads prefilled, filler took {filler / 1024} KB; {evictionLines.Count} eviction(s), " +
                    $"health's last count {Evicted(last)} unsent read(s) evicted (oldest first: the first kept is #{firstKept}), {Recorded(last)} new read(s) " +
                    $"accepted after ({accepted} by the outbox's count: {agentRows.Count(r => r.DeliveredAt is not null)} delivered and kept, {agentRows.Count(r => r.DeliveredAt is null)} still queued, " +
                    $"{deliveredThenPurged} delivered then purged, newest read given up #{newestGivenUp}), agent exit {exit}, integrity_check: {integrity}, {audited.Count} outbox.evicted audit entries (audit verify exit {verify.ExitCode}); " +
                    $"first: {evictionLines.FirstOrDefault()?.Trim()}");

        Assert.Equal(0, exit);
        Assert.Equal("ok", integrity);
        Assert.Equal(evictionLines.Count, audited.Count);   // every eviction logged is audited
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.True(Evicted(last) > 0);
        // No read the agent accepted was lost: only the older backlog was given up, and every read of this run is accounted for.
        Assert.True(accepted > 0 && accepted >= Recorded(last), $"{accepted} reads in the outbox after the backlog, health counted {Recorded(last)}");
        Assert.True(newestGivenUp <= prefilled, $"read #{newestGivenUp}, accepted in this run, was given up");
        Assert.Equal(accepted, agentRows.Count + deliveredThenPurged);
        // Oldest first: what is left of the backlog is a suffix of it.
        var keptBacklog = rows.Where(r => r.Seq <= prefilled).Select(r => r.Seq).ToList();
        Assert.Equal(Enumerable.Range((int)firstKept, prefilled - (int)firstKept + 1).Select(i => (long)i), keptBacklog);
        Assert.Matches(@"Outbox eviction \((LowDisk|DiskFull)\): \d+ unsent read\(s\) given up", agent.Output);
    }

    private static long Evicted(CapturedMessage health) => Outbox(health, "evicted_unsent");

    private static long Recorded(CapturedMessage health) => Outbox(health, "reads_recorded");

    private static long Outbox(CapturedMessage health, string field)
    {
        using JsonDocument doc = health.Json();
        return doc.RootElement.GetProperty("outbox").GetProperty(field).GetInt64();
    }

    private static PlateReadEvent Read(int n) => new()
    {
        Id = Ulid.NewUlid(DateTimeOffset.UtcNow.AddHours(-1).AddMilliseconds(n)).ToString(),
        Time = DateTimeOffset.UtcNow.AddHours(-1).AddMilliseconds(n),
        Site = "fault-site", Camera = "fault-cam", Lane = "1", Direction = "northbound",
        PlateHash = n.ToString("x64", CultureInfo.InvariantCulture), KeyId = "00000000:2026-01-01",
        Confidence = 0.9f, Layout = PlateLayout.GbCurrent, MatchesGrammar = true, Clock = ClockState.Unknown, Frames = 5,
    };
}

/// <summary>A tmpfs of a few MB mounted for one test (the tests run as root) and unmounted after.</summary>
public sealed class SmallFilesystem : IDisposable
{
    private SmallFilesystem(string path) => Path = path;

    public string Path { get; }

    private string FillerPath => System.IO.Path.Combine(Path, "filler");

    public static SmallFilesystem Mount(int sizeKb)
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"edgeagent-tmpfs-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        string result = Run("mount", "-t", "tmpfs", "-o", $"size={sizeKb}k,mode=0755", "tmpfs", path);
        if (result.Length > 0)
            throw new InvalidOperationException($"mount -t tmpfs failed: {result}. The fault tests mount a small filesystem and must run as root.");
        return new SmallFilesystem(path);
    }

    /// <summary>Writes a file until the filesystem refuses (ENOSPC); returns its size.</summary>
    public long FillUp()
    {
        var block = new byte[4096];
        long written = 0;
        using var file = new FileStream(FillerPath, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        try
        {
            while (true)
            {
                file.Write(block);
                written += block.Length;
            }
        }
        catch (IOException)
        {
            return written;   // full
        }
    }

    public void RemoveFiller() => File.Delete(FillerPath);

    public void Dispose()
    {
        Run("umount", "-l", Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Lazily unmounted: the folder goes with /tmp.
        }
    }

    private static string Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        using Process p = Process.Start(start)!;
        string errors = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? "" : $"exit {p.ExitCode}: {errors.Trim()}";
    }
}
