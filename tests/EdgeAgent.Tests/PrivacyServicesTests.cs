using System.Globalization;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

using EdgeAgent.Core.Configuration;
using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Ports;
using EdgeAgent.Core.Profiles;
using EdgeAgent.Core.Reads;
using EdgeAgent.Hosting;
using EdgeAgent.Settings;
using EdgeAgent.Storage;
using EdgeAgent.Storage.Audit;
using EdgeAgent.Storage.Evidence;
using EdgeAgent.TestSupport;
using EdgeAgent.Vision.Redaction;

namespace EdgeAgent.Tests;

public sealed class PrivacyServicesTests : IDisposable
{
    private readonly TempDirectory _dir = new("edgeagent-privacy-services");
    private static readonly HardwareProfile Profile = HardwareProfileLoader.Load("anpr-1080p-ir", RepoPaths.HardwareProfiles);

    private static PlateReadEvent Read(int n, DateTimeOffset time) => new()
    {
        Id = Ulid.NewUlid(time).ToString(),
        Time = time,
        Site = "s", Camera = "c", Lane = "1", Direction = "north",
        PlateHash = n.ToString("x64", CultureInfo.InvariantCulture), KeyId = "k:2027-01-15",
        Confidence = 0.9f, Layout = PlateLayout.GbCurrent, MatchesGrammar = true, Clock = ClockState.Unknown, Frames = 5,
    };

    private static EvidenceSnapshot Snapshot()
    {
        var frame = new Frame(Profile.Width, Profile.Height) { Index = 3, CapturedAt = DateTimeOffset.UtcNow };
        frame.Bgr.AsSpan().Fill(90);
        var capture = new FrameEvidenceCapture(1, frame.Width, frame.Height);
        capture.Capture(0, frame, new PlateCandidate { X = 800, Y = 700, BoundsWidth = 240, BoundsHeight = 56 });
        return capture.Take(0, 3)!;
    }

    private static async Task Run(EvidenceRecorder recorder)
    {
        await recorder.StartAsync(CancellationToken.None);
        await recorder.WaitUntilDrainedAsync(TimeSpan.FromMinutes(2), CancellationToken.None);
        await recorder.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task EvidenceRecorder_RedactionFails_DropsTheImagesCountsAndAuditsIt()
    {
        string cascades = Directory.CreateDirectory(_dir.File("broken-cascades")).FullName;
        foreach (string name in new[] { "haarcascade_frontalface_default.xml", "haarcascade_profileface.xml", "haarcascade_fullbody.xml" })
            File.WriteAllText(Path.Combine(cascades, name), "<opencv_storage><not-a-cascade/>");
        using var store = new SqliteEvidenceStore(_dir.File("outbox.db"));
        var audit = new AuditLogFile(_dir.File("audit.jsonl"));
        var recorder = new EvidenceRecorder(store, audit, Profile, new RedactorOptions { CascadeFolder = cascades }, 4, NullLogger<EvidenceRecorder>.Instance);
        PlateReadEvent read = Read(1, DateTimeOffset.UtcNow);
        Assert.True(recorder.TryEnqueue(read, Snapshot()));

        await Run(recorder);

        Assert.Equal(0, store.Count);
        Assert.Equal(1, recorder.RedactionFailures);
        AuditEntry entry = Assert.Single(AuditVerifier.ReadAll(audit.Path));
        Assert.Equal(AuditKinds.RedactionFailed, entry.Kind);
        Assert.Equal(read.Id, entry.Details["read_id"]);
        Assert.Equal("redact", entry.Details["stage"]);
    }

    [Fact]
    public async Task EvidenceRecorder_Redacted_StoresJpegsWithinTheCaps()
    {
        using var store = new SqliteEvidenceStore(_dir.File("outbox.db"));
        var audit = new AuditLogFile(_dir.File("audit.jsonl"));
        var recorder = new EvidenceRecorder(store, audit, Profile, new RedactorOptions(), 4, NullLogger<EvidenceRecorder>.Instance);
        PlateReadEvent read = Read(1, DateTimeOffset.UtcNow);
        Assert.True(recorder.TryEnqueue(read, Snapshot()));

        await Run(recorder);

        EvidenceRecord? kept = store.Find(read.Id);
        Assert.NotNull(kept);
        Assert.InRange(kept.PlateJpeg!.Length, 100, JpegEncoder.PlateCropMaxBytes);
        Assert.InRange(kept.OverviewJpeg!.Length, 100, JpegEncoder.OverviewMaxBytes);
        Assert.Equal(0xFF, kept.OverviewJpeg[0]);
        Assert.Equal(0xD8, kept.OverviewJpeg[1]);
        Assert.Equal(0, recorder.RedactionFailures);
        Assert.Empty(AuditVerifier.ReadAll(audit.Path));
    }

    [Fact]
    public async Task EvidenceRecorder_Worker_RedactsOnlyOnIdleCores()
    {
        using var store = new SqliteEvidenceStore(_dir.File("outbox.db"));
        var recorder = new EvidenceRecorder(store, new AuditLogFile(_dir.File("audit.jsonl")), Profile, new RedactorOptions(), 4, NullLogger<EvidenceRecorder>.Instance);
        await recorder.StartAsync(CancellationToken.None);
        try
        {
            (int Nice, int Policy) agent = Scheduling(null) ?? throw new InvalidOperationException("no /proc/self/stat");
            Assert.NotEqual(SchedIdle, agent.Policy);
            (int Nice, int Policy)? worker = null;
            for (int i = 0; i < 100 && (worker is null || worker == agent); i++)   // until it has lowered itself
            {
                if (i > 0) await Task.Delay(50);
                worker = Scheduling(EvidenceRecorder.WorkerThreadName);
            }
            // SCHED_IDLE, which needs no privilege on Linux; where a kernel refused it, nice 19.
            Assert.True(worker is { Policy: SchedIdle } or { Nice: 19 }, $"redaction thread at nice {worker?.Nice}, policy {worker?.Policy}");
        }
        finally
        {
            await recorder.StopAsync(CancellationToken.None);
        }
    }

    private const int SchedIdle = 5;

    // The nice value and scheduling policy (fields 19 and 41 of stat) of this process's thread named so (null while there is none), or of the process itself.
    private static (int Nice, int Policy)? Scheduling(string? threadName)
    {
        string? stat = threadName is null ? File.ReadAllText("/proc/self/stat")
            : Directory.EnumerateDirectories("/proc/self/task")
                .Where(t => File.ReadAllText(Path.Combine(t, "comm")).Trim() == threadName)
                .Select(t => File.ReadAllText(Path.Combine(t, "stat"))).FirstOrDefault();
        if (stat is null) return null;
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');   // fields[0] is field 3 (state)
        return (int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture), int.Parse(fields[38], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task EvidenceRecorder_QueueFull_DropsTheNewestAndCountsIt()
    {
        using var store = new SqliteEvidenceStore(_dir.File("outbox.db"));
        var recorder = new EvidenceRecorder(store, new AuditLogFile(_dir.File("audit.jsonl")), Profile, new RedactorOptions(), 1, NullLogger<EvidenceRecorder>.Instance);
        using EvidenceSnapshot second = Snapshot();
        Assert.True(recorder.TryEnqueue(Read(1, DateTimeOffset.UtcNow), Snapshot()));
        Assert.False(recorder.TryEnqueue(Read(2, DateTimeOffset.UtcNow), second));
        Assert.Equal(1, recorder.Dropped);
        await Run(recorder);
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public async Task EvidenceRecorder_DiskShort_KeepsNoImagesAndCountsThem()
    {
        using var store = new SqliteEvidenceStore(_dir.File("outbox.db"));
        var limits = new EvidenceLimits { MinFreeBytes = 64L << 20, FreeBytes = () => 10L << 20 };
        var recorder = new EvidenceRecorder(store, new AuditLogFile(_dir.File("audit.jsonl")), Profile, new RedactorOptions(), limits, NullLogger<EvidenceRecorder>.Instance);
        Assert.True(recorder.TryEnqueue(Read(1, DateTimeOffset.UtcNow), Snapshot()));
        await Run(recorder);
        Assert.Equal(0, store.Count);
        Assert.Equal(1, recorder.Dropped);
        Assert.Equal(0, recorder.RedactionFailures);
    }

    [Fact]
    public async Task EvidenceRecorder_StopOutlastsTheHostsPatience_SummarySaysDroppedAndNothingIsStoredAfterIt()
    {
        using var store = new SqliteEvidenceStore(_dir.File("outbox.db"));
        using var diskProbeAnswers = new ManualResetEventSlim();
        using var workerInKeep = new ManualResetEventSlim();
        // A free-space probe that hangs (a stuck disk) holds the worker inside one image, as a long redaction does.
        var limits = new EvidenceLimits
        {
            MinFreeBytes = 1,
            FreeBytes = () => { workerInKeep.Set(); diskProbeAnswers.Wait(); return long.MaxValue; },
        };
        var logger = new RecordingLogger<EvidenceRecorder>();
        var recorder = new EvidenceRecorder(store, new AuditLogFile(_dir.File("audit.jsonl")), Profile, new RedactorOptions(), limits, logger);
        Assert.True(recorder.TryEnqueue(Read(1, DateTimeOffset.UtcNow), Snapshot()));
        await recorder.StartAsync(CancellationToken.None);
        Assert.True(workerInKeep.Wait(TimeSpan.FromMinutes(2)));

        using (var patience = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
            await recorder.StopAsync(patience.Token);   // the host's shutdown timeout runs out

        Assert.Contains("Evidence: 0 kept, 1 dropped", logger.Text(), StringComparison.Ordinal);
        diskProbeAnswers.Set();
        await recorder.ExecuteTask!.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(0, store.Count);   // the image finished after the summary is not kept behind its back
        Assert.Equal(0, recorder.Stored);
        Assert.Single(logger.Lines, l => l.StartsWith("Evidence: ", StringComparison.Ordinal));
    }

    private sealed class RecordingLogger<T> : ILogger<T>
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines { get { lock (_lines) return [.. _lines]; } }

        public string Text() => string.Join('\n', Lines);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines) _lines.Add(formatter(state, exception));
        }
    }

    [Fact]
    public async Task EvidenceRecorder_OverItsByteCap_DeletesTheOldestAndAuditsIt()
    {
        using var store = new SqliteEvidenceStore(_dir.File("outbox.db"));
        var audit = new AuditLogFile(_dir.File("audit.jsonl"));
        var old = DateTimeOffset.UtcNow.AddHours(-1);
        store.Store(new EvidenceRecord("01KAQ6F0X9S2B7Q3M4N5P6R7S1", old, new byte[3000], new byte[25000], "{}"));
        var limits = new EvidenceLimits { MaxBytes = 30_000 };
        var recorder = new EvidenceRecorder(store, audit, Profile, new RedactorOptions(), limits, NullLogger<EvidenceRecorder>.Instance);
        PlateReadEvent read = Read(1, DateTimeOffset.UtcNow);
        Assert.True(recorder.TryEnqueue(read, Snapshot()));
        await Run(recorder);
        Assert.Null(store.Find("01KAQ6F0X9S2B7Q3M4N5P6R7S1"));
        Assert.NotNull(store.Find(read.Id));
        AuditEntry entry = Assert.Single(AuditVerifier.ReadAll(audit.Path));
        Assert.Equal(AuditKinds.RetentionPurged, entry.Kind);
        Assert.Equal("over Evidence:MaxBytes", entry.Details["reason"]);
    }

    [Fact]
    public void RetentionService_PurgeOnce_DeletesWhatIsDueAndAuditsEachKind()
    {
        string path = _dir.File("outbox.db");
        using var outbox = new SqliteOutbox(path);
        using var evidence = new SqliteEvidenceStore(path);
        var audit = new AuditLogFile(_dir.File("audit.jsonl"));
        var now = DateTimeOffset.UtcNow;
        long old = outbox.Append(Read(1, now.AddHours(-30)));
        long recent = outbox.Append(Read(2, now.AddHours(-2)));
        long unsent = outbox.Append(Read(3, now.AddHours(-50)));
        outbox.MarkDelivered([old], now.AddHours(-29));
        outbox.MarkDelivered([recent], now.AddHours(-1));
        evidence.Store(new EvidenceRecord("01KAQ6F0X9S2B7Q3M4N5P6R7S1", now.AddHours(-80), [1], [2], "{}"));
        evidence.Store(new EvidenceRecord("01KAQ6F0X9S2B7Q3M4N5P6R7S2", now.AddHours(-10), [1], [2], "{}"));

        var service = new RetentionService(new RetentionSettings { DeliveredReadsHours = 24, EvidenceHours = 72 }, outbox, evidence, audit,
            TimeProvider.System, NullLogger<RetentionService>.Instance);
        service.PurgeOnce();
        service.PurgeOnce();   // nothing more is due: nothing more is audited

        Assert.Equal(2, outbox.GetStats().Total);                // the recent delivered read and the unsent one (never purged here)
        Assert.Single(outbox.ReadUnsent(0, 10), e => e.Seq == unsent);
        Assert.Equal(1, evidence.Count);
        Assert.Null(evidence.Find("01KAQ6F0X9S2B7Q3M4N5P6R7S1"));
        var entries = AuditVerifier.ReadAll(audit.Path);
        Assert.Equal(["delivered_reads", "evidence"], entries.Select(e => e.Details["what"]));
        Assert.All(entries, e => Assert.Equal(AuditKinds.RetentionPurged, e.Kind));
        Assert.All(entries, e => Assert.Equal("1", e.Details["count"]));
        Assert.Equal((1, 1), (service.ReadsPurged, service.EvidencePurged));
    }

    [Fact]
    public void Validate_PrivacySettingsWrong_OneProblemEach()
    {
        var settings = new AgentSettings();
        settings.Evidence.CascadeFolder = _dir.File("no-cascades");
        settings.Retention.EvidenceHours = -1;
        settings.Privacy.PolicyFile = _dir.File("missing-policy.json");
        settings.Privacy.AuthorityKeyFile = "";
        var e = Assert.Throws<ConfigurationProblemException>(() => SettingsValidator.Validate(settings, AgentMode.Replay, RepoPaths.HardwareProfiles));
        Assert.Contains(e.Problems, p => p.Contains("Evidence:CascadeFolder", StringComparison.Ordinal) && p.Contains("opencv-data", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("Retention:EvidenceHours", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("Privacy:PolicyFile", StringComparison.Ordinal) && p.Contains("does not exist", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("Privacy:AuthorityKeyFile is not", StringComparison.Ordinal));
    }

    [Fact]
    public void Bind_PrivacySections_AreKnownSettings()
    {
        AgentSettings settings = SettingsLoader.Bind(SettingsLoader.Build(
            ["--Retention:EvidenceHours=1.5", "--Evidence:Enabled=false", "--Privacy:AuditPath=/tmp/a.jsonl", "--Privacy:AuditHeadSeconds=30"]));
        Assert.Equal(1.5, settings.Retention.EvidenceHours);
        Assert.False(settings.Evidence.Enabled);
        Assert.Equal("/tmp/a.jsonl", settings.Privacy.ResolveAuditPath("/var/lib/edgeagent/outbox.db"));
        Assert.Equal("/var/lib/edgeagent/audit.jsonl", new PrivacySettings().ResolveAuditPath("/var/lib/edgeagent/outbox.db"));
        Assert.Equal(30, settings.Privacy.AuditHeadSeconds);
    }

    public void Dispose() => _dir.Dispose();
}
