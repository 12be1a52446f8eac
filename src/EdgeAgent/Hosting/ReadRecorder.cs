using System.Diagnostics;
using System.Threading.Channels;

using Microsoft.Extensions.Logging;

using EdgeAgent.Core.Ports;
using EdgeAgent.Core.Reads;
using EdgeAgent.Privacy;

namespace EdgeAgent.Hosting;

/// <summary>
/// Takes passes from the frame loops (without making them wait), drops the registration by hashing it,
/// and commits the read to the outbox before anything may send it. Then wakes the forwarder.
/// </summary>
public sealed partial class ReadRecorder : IPassSink
{
    private readonly Channel<(VehiclePass Pass, long EmittedAt)> _passes =
        Channel.CreateUnbounded<(VehiclePass, long)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Pseudonymiser _pseudonymiser;
    private readonly IOutbox _outbox;
    private readonly Func<ClockState> _clock;
    private readonly ILogger _logger;
    private readonly LatencyWindow _latency = new(1024);
    private long _pending;
    private long _recorded;

    public ReadRecorder(Pseudonymiser pseudonymiser, IOutbox outbox, Func<ClockState> clock, ILogger<ReadRecorder> logger)
    {
        _pseudonymiser = pseudonymiser;
        _outbox = outbox;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>Called after each commit (the forwarder's nudge).</summary>
    public Action? Committed { get; set; }

    /// <summary>Adds what the field inputs know (trigger match, GPS position and time) to a read before it is
    /// committed; gets the read (already hashed) and the time its vehicle was first seen.</summary>
    public Func<PlateReadEvent, DateTimeOffset, PlateReadEvent>? Enrich { get; set; }

    /// <summary>
    /// Takes the evidence snapshot of a committed read (redaction and storage happen there, off this loop);
    /// false, or no taker, and the snapshot is disposed here: unredacted pixels are never kept.
    /// </summary>
    public Func<PlateReadEvent, EvidenceSnapshot, bool>? EvidenceCommitted { get; set; }

    /// <summary>
    /// Sees each pass as it arrives, before hashing (replay --truth scores the reads in memory with it).
    /// Called on the frame loop's thread: keep it quick. Nothing it is given may be logged or stored.
    /// </summary>
    public Action<VehiclePass>? Observed { get; set; }

    public long Recorded => Interlocked.Read(ref _recorded);
    public long Pending => Interlocked.Read(ref _pending);

    /// <summary>
    /// Frame-to-outbox latency percentiles over the recent reads, in milliseconds: from the start of the
    /// processing of the frame that completed a pass to the read's commit (from the pass's emission when
    /// the frame is unknown).
    /// </summary>
    public (double P50, double P99) LatencyMs => _latency.Percentiles();

    public void OnPass(VehiclePass pass)
    {
        Observed?.Invoke(pass);
        Interlocked.Increment(ref _pending);
        // Unbounded: passes are a few per second at most, and a read must never be dropped here.
        _passes.Writer.TryWrite((pass, pass.CompletedByFrameAt != 0 ? pass.CompletedByFrameAt : Stopwatch.GetTimestamp()));
    }

    /// <summary>No more passes will come (the sources ended); <see cref="RunAsync"/> finishes the queue and returns.</summary>
    public void Complete() => _passes.Writer.TryComplete();

    public async Task RunAsync(CancellationToken cancellation)
    {
        await foreach (var (pass, emittedAt) in _passes.Reader.ReadAllAsync(cancellation).ConfigureAwait(false))
        {
            PlateReadEvent read = _pseudonymiser.Pseudonymise(pass, _clock());
            if (Enrich is { } enrich) read = enrich(read, pass.FirstSeen);
            long seq = _outbox.Append(read);
            _latency.Add(Stopwatch.GetElapsedTime(emittedAt).TotalMilliseconds);
            Interlocked.Increment(ref _recorded);
            Interlocked.Decrement(ref _pending);
            Log.ReadCommitted(_logger, read.Id, seq, read.Camera, read.Lane, read.Confidence);
            if (pass.Evidence is { } evidence && EvidenceCommitted?.Invoke(read, evidence) != true) evidence.Dispose();
            Committed?.Invoke();
        }
    }

    private static partial class Log
    {
        // The id and metadata only: the registration is gone by now and must never reach a log.
        [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Read {Id} committed as #{Seq} (camera {Camera}, lane {Lane}, confidence {Confidence:0.00})")]
        public static partial void ReadCommitted(ILogger logger, string id, long seq, string camera, string lane, float confidence);
    }
}

/// <summary>A fixed window of recent samples for percentiles (health and bench).</summary>
public sealed class LatencyWindow(int capacity)
{
    private readonly double[] _samples = new double[capacity];
    private readonly Lock _gate = new();
    private int _count;
    private int _next;

    public void Add(double value)
    {
        lock (_gate)
        {
            _samples[_next] = value;
            _next = (_next + 1) % _samples.Length;
            _count = Math.Min(_count + 1, _samples.Length);
        }
    }

    public (double P50, double P99) Percentiles()
    {
        double[] copy;
        lock (_gate) copy = _samples[.._count];
        if (copy.Length == 0) return (0, 0);
        Array.Sort(copy);
        return (copy[(int)((copy.Length - 1) * 0.5)], copy[(int)((copy.Length - 1) * 0.99)]);
    }
}
