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

/// <summary>
/// What a pass costs once it ends: the keyed hash, the whole pseudonymisation, the durable insert one read
/// at a time and in batches (what the recorder does: the reads waiting together in one transaction). The
/// insert figures are per read; each includes making the read (a fresh id), as the recorder's loop does.
/// </summary>
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
    private readonly PlateReadEvent[] _batch = new PlateReadEvent[64];
    private readonly long[] _seqs = new long[64];

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

    /// <summary>A burst of reads (several cameras at once), per read, each committed on its own (as before batching).</summary>
    [Benchmark(OperationsPerInvoke = Burst)]
    public long OutboxAppendBurst()
    {
        long seq = 0;
        for (int i = 0; i < Burst; i++) seq = _outbox.Append(NextRead());
        return seq;
    }

    /// <summary>One read through the batched path: a batch of 1 is one transaction, as a single append.</summary>
    [Benchmark(OperationsPerInvoke = 1)]
    public long OutboxAppendBatch1() => AppendBatch(1);

    /// <summary>8 reads in one transaction (one fsync), per read.</summary>
    [Benchmark(OperationsPerInvoke = 8)]
    public long OutboxAppendBatch8() => AppendBatch(8);

    /// <summary>64 reads in one transaction (the recorder's limit), per read.</summary>
    [Benchmark(OperationsPerInvoke = 64)]
    public long OutboxAppendBatch64() => AppendBatch(64);

    private long AppendBatch(int size)
    {
        for (int i = 0; i < size; i++) _batch[i] = NextRead();
        _outbox.AppendBatch(_batch.AsSpan(0, size), _seqs);
        return _seqs[size - 1];
    }
}
