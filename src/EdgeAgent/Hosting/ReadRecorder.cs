using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;

using Microsoft.Extensions.Logging;

using EdgeAgent.Core.Ports;
using EdgeAgent.Core.Reads;
using EdgeAgent.Privacy;

namespace EdgeAgent.Hosting;

/// <summary>
/// Takes passes from the frame loops (without making them wait), drops the registration by hashing it,
/// and commits the read to the outbox before anything may send it: the passes waiting together (up to
/// <see cref="BatchLimit"/>) in one transaction. Then wakes the forwarder.
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
    private readonly (VehiclePass Pass, long EmittedAt)[] _batch;
    private readonly PlateReadEvent[] _reads;
    private readonly long[] _seqs;
    private long _pending;
    private long _recorded;

    public ReadRecorder(Pseudonymiser pseudonymiser, IOutbox outbox, Func<ClockState> clock, ILogger<ReadRecorder> logger)
    {
        _pseudonymiser = pseudonymiser;
        _outbox = outbox;
        _clock = clock;
        _logger = logger;
        _batch = new (VehiclePass, long)[BatchLimit];
        _reads = new PlateReadEvent[BatchLimit];
        _seqs = new long[BatchLimit];
    }

    /// <summary>The most passes committed in one outbox transaction (what is waiting, up to this).</summary>
    public const int BatchLimit = 64;

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
        ChannelReader<(VehiclePass Pass, long EmittedAt)> passes = _passes.Reader;
        while (await passes.WaitToReadAsync(cancellation).ConfigureAwait(false))
        {
            // What is waiting now (several cameras, a burst of passes) goes in one transaction: one fsync for all.
            int count = 0;
            while (count < BatchLimit && passes.TryRead(out var item))
            {
                _batch[count] = item;
                PlateReadEvent read = _pseudonymiser.Pseudonymise(item.Pass, _clock());
                _reads[count++] = Enrich is { } enrich ? enrich(read, item.Pass.FirstSeen) : read;
            }
            CommitBatch(count);
        }
    }

    // The batch's reads are accepted only when the outbox has committed them (and, as for one read, run its
    // cap and audited any eviction); only then is each logged, its evidence handed over and the forwarder woken.
    private void CommitBatch(int count)
    {
        OutboxBatchResult result;
        try
        {
            result = _outbox.AppendBatch(_reads.AsSpan(0, count), _seqs.AsSpan(0, count));
        }
        catch
        {
            Release(count);
            throw;
        }
        for (int i = 0; i < count; i++)
        {
            var (pass, emittedAt) = _batch[i];
            PlateReadEvent read = _reads[i];
            long seq = _seqs[i];
            Interlocked.Decrement(ref _pending);
            if (seq == 0)
            {
                // Not stored: nothing was accepted for it, and its unredacted evidence goes now.
                Log.ReadNotCommitted(_logger, read.Id, read.Camera, result.Failure?.Message ?? "unknown");
                pass.Evidence?.Dispose();
                continue;
            }
            _latency.Add(Stopwatch.GetElapsedTime(emittedAt).TotalMilliseconds);
            Interlocked.Increment(ref _recorded);
            Log.ReadCommitted(_logger, read.Id, seq, read.Camera, read.Lane, read.Confidence);
            if (pass.Evidence is { } evidence && EvidenceCommitted?.Invoke(read, evidence) != true) evidence.Dispose();
        }
        Array.Clear(_batch, 0, count);   // the passes (and their evidence) are not held until the next batch
        Array.Clear(_reads, 0, count);
        if (result.Accepted > 0) Committed?.Invoke();
        // As a single read's failed append always did: the recorder stops and the host with it (systemd restarts
        // the agent), after what could be stored was stored and handed on.
        if (result.Failure is { } failure) ExceptionDispatchInfo.Throw(failure);
    }

    // The outbox threw without a result: nothing of the batch was accepted; its evidence is not kept.
    private void Release(int count)
    {
        for (int i = 0; i < count; i++) _batch[i].Pass.Evidence?.Dispose();
        Array.Clear(_batch, 0, count);
        Array.Clear(_reads, 0, count);
    }

    private static partial class Log
    {
        // The id and metadata only: the registration is gone by now and must never reach a log.
        [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Read {Id} committed as #{Seq} (camera {Camera}, lane {Lane}, confidence {Confidence:0.00})")]
        public static partial void ReadCommitted(ILogger logger, string id, long seq, string camera, string lane, float confidence);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Read {Id} (camera {Camera}) could not be stored in the outbox: {Reason}")]
        public static partial void ReadNotCommitted(ILogger logger, string id, string camera, string reason);
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
