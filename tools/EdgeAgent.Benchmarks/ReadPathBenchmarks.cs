using BenchmarkDotNet.Attributes;

using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Reads;
using EdgeAgent.Core.Tracking;
using EdgeAgent.Privacy;
using EdgeAgent.Privacy.Keys;
using EdgeAgent.Storage;

namespace EdgeAgent.Benchmarks;

/// <summary>
/// The tracker in steady state: two plates crossing the frame, read in every frame (association, the
/// best-read bookkeeping and the vote's store; no pass ends, so nothing may be allocated).
/// </summary>
[MemoryDiagnoser]
public class TrackerBenchmarks
{
    private sealed class NoSink : IPassSink
    {
        public void OnPass(VehiclePass pass) { }
    }

    private readonly PlateCandidate[] _boxes = new PlateCandidate[2];
    private readonly PlateText[] _texts = new PlateText[2];
    private readonly NoSink _sink = new();
    private PlateTracker _tracker = null!;
    private long _frame;

    [GlobalSetup]
    public void Setup()
    {
        _tracker = new PlateTracker();
        _texts[0] = Text("AB12CDE");
        _texts[1] = Text("XY68ZZT");
    }

    [Benchmark]
    public int ObserveTwoPlates()
    {
        // The plates go to and fro, 4 px a frame: they turn well inside the tracker's jump limit, so no track ends.
        long phase = _frame++ % 400;
        float step = (phase < 200 ? phase : 400 - phase) * 4;
        _boxes[0] = Box(300 + step, 500);
        _boxes[1] = Box(1300 - step, 700);
        _tracker.Observe(_frame, DateTimeOffset.UnixEpoch, _boxes, _texts, _sink);
        return _tracker.ActiveTracks;
    }

    private static PlateCandidate Box(float cx, float cy) => new()
    {
        CenterX = cx, CenterY = cy, Width = 220, Height = 48, X = (int)cx - 110, Y = (int)cy - 24, BoundsWidth = 220, BoundsHeight = 48, Score = 0.9f,
    };

    private static PlateText Text(string s)
    {
        var t = default(PlateText);
        t.Clear();
        foreach (char c in s) t.Append(c, 0.9f);
        t.MatchesGrammar = true;
        t.Layout = PlateLayout.GbCurrent;
        t.Country = CountryCode.GreatBritain;
        return t;
    }
}

/// <summary>What a pass costs once it ends: the keyed hash, the whole pseudonymisation, the durable insert.</summary>
[MemoryDiagnoser]
public class ReadPathBenchmarks
{
    private const int Burst = 16;
    private string _folder = null!;
    private PlateHasher _hasher = null!;
    private Pseudonymiser _pseudonymiser = null!;
    private SqliteOutbox _outbox = null!;
    private VehiclePass _pass = null!;
    private PlateReadEvent _read = null!;
    private readonly DateOnly _day = new(2026, 11, 23);

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("edgeagent-benchmarks-").FullName;
        var secret = UnitSecret.Create(Path.Combine(_folder, "unit.key"));
        _hasher = new PlateHasher(secret, TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));
        _pseudonymiser = new Pseudonymiser(_hasher, new ReadOrigin("site-001", "cam-01", SampleFrames.Profile));
        _outbox = new SqliteOutbox(Path.Combine(_folder, "outbox.db"));
        var box = new PlateCandidate { CenterX = 1500, CenterY = 800, Width = 300, Height = 64, X = 1350, Y = 768, BoundsWidth = 300, BoundsHeight = 64, Score = 0.9f };
        _pass = new VehiclePass
        {
            Text = "AB12CDE", Country = CountryCode.GreatBritain, Layout = PlateLayout.GbCurrent, MatchesGrammar = true, Confidence = 0.93f,
            Observations = 20, FirstFrame = 100, LastFrame = 120, FirstSeen = DateTimeOffset.UtcNow, LastSeen = DateTimeOffset.UtcNow,
            BestFrame = 118, BestBox = box, CameraId = "cam-01",
        };
        _read = _pseudonymiser.Pseudonymise(_pass, ClockState.Unknown);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _outbox.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    // Every read has its own id (the outbox refuses a duplicate): a fresh ULID, as the pseudonymiser gives.
    private PlateReadEvent NextRead() => _read with { Id = Ulid.NewUlid().ToString() };

    [Benchmark]
    public string Hash() => _hasher.Hash(CountryCode.GreatBritain, "AB12CDE", _day);

    [Benchmark]
    public PlateReadEvent Pseudonymise() => _pseudonymiser.Pseudonymise(_pass, ClockState.Unknown);

    /// <summary>One read committed on its own (a transaction and an fsync: synchronous=FULL).</summary>
    [Benchmark]
    public long OutboxAppend() => _outbox.Append(NextRead());

    /// <summary>A burst of reads (several cameras at once), per read: each is still committed on its own.</summary>
    [Benchmark(OperationsPerInvoke = Burst)]
    public long OutboxAppendBurst()
    {
        long seq = 0;
        for (int i = 0; i < Burst; i++) seq = _outbox.Append(NextRead());
        return seq;
    }
}
