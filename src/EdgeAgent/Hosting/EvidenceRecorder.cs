using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

using EdgeAgent.Core.Ports;
using EdgeAgent.Core.Profiles;
using EdgeAgent.Core.Reads;
using EdgeAgent.Platform;
using EdgeAgent.Vision.Redaction;

namespace EdgeAgent.Hosting;

/// <summary>
/// Redaction before retention, off the frame loop: takes the evidence snapshot of each committed read,
/// fills faces, people and the profile's privacy masks solid, encodes the plate crop (at most 3 KB) and the
/// overview (at most 25 KB) as JPEG, and stores them beside the read. If anything in that chain fails the
/// images are dropped, never kept unredacted, and the failure is counted and audited. A full queue drops
/// the images (counted) and never holds up a read.
/// </summary>
public sealed partial class EvidenceRecorder : BackgroundService, IDrainable
{
    private readonly Channel<(string ReadId, DateTimeOffset Time, EvidenceSnapshot Snapshot)> _queue;
    private readonly IEvidenceStore _store;
    private readonly IAuditLog _audit;
    private readonly RedactorOptions _options;
    private readonly PrivacyMasks _masks;
    private readonly bool _gray;
    private readonly ILogger _logger;
    private readonly EvidenceLimits _limits;
    private Redactor? _redactor;
    private long _stored, _dropped, _failed, _pending;
    // Figures for the stop's summary (the worker's thread only): what redaction costs and how big the images are.
    private readonly List<double> _redactionMs = [];
    private double _redactionCpuMs, _encodingCpuMs;
    private long _plateBytes, _overviewBytes;
    private int _plateMax, _overviewMax;
    // Closed when the host stops waiting for the worker (its shutdown timeout): an image still in the redactor
    // then is dropped rather than stored after the summary was given. Guards _stored and the figures.
    private readonly Lock _closing = new();
    private bool _closed;
    private int _summaryLogged;

    public EvidenceRecorder(IEvidenceStore store, IAuditLog audit, HardwareProfile profile, RedactorOptions options, int queueLength,
        ILogger<EvidenceRecorder> logger)
        : this(store, audit, profile, options, new EvidenceLimits { QueueLength = queueLength }, logger)
    {
    }

    public EvidenceRecorder(IEvidenceStore store, IAuditLog audit, HardwareProfile profile, RedactorOptions options, EvidenceLimits limits,
        ILogger<EvidenceRecorder> logger)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits;
        int queueLength = limits.QueueLength;
        _store = store;
        _audit = audit;
        _options = options;
        _masks = new PrivacyMasks(profile.PrivacyMasks.Select(m => m.Points).ToArray());
        _gray = profile.Infrared;   // an IR picture has no colour to keep: one channel halves the bytes
        _logger = logger;
        _queue = Channel.CreateBounded<(string, DateTimeOffset, EvidenceSnapshot)>(new BoundedChannelOptions(queueLength)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,   // TryWrite then fails, and the caller drops the newest
        });
    }

    public long Stored => Interlocked.Read(ref _stored);
    public long Dropped => Interlocked.Read(ref _dropped);
    public long RedactionFailures => Interlocked.Read(ref _failed);
    public int Waiting => _queue.Reader.Count;

    /// <summary>Hands over a committed read's snapshot (the recorder's thread). False when the queue is full: the caller disposes it.</summary>
    public bool TryEnqueue(PlateReadEvent read, EvidenceSnapshot snapshot)
    {
        Interlocked.Increment(ref _pending);
        if (_queue.Writer.TryWrite((read.Id, read.Time, snapshot))) return true;
        Interlocked.Decrement(ref _pending);
        Interlocked.Increment(ref _dropped);
        Log.QueueFull(_logger, read.Id);
        return false;
    }

    /// <summary>
    /// A finite run waits here (after the read recorder finished) until every queued image is kept or dropped.
    /// Evidence is best effort: when the time is up the rest is dropped at the stop, and the run still
    /// counts as drained (its reads are what must arrive).
    /// </summary>
    public async Task<bool> WaitUntilDrainedAsync(TimeSpan timeout, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Interlocked.Read(ref _pending) > 0 && DateTime.UtcNow < deadline && ExecuteTask is not { IsCompleted: true })
            await Task.Delay(50, cancellation).ConfigureAwait(false);
        if (Interlocked.Read(ref _pending) > 0) Log.NotDrained(_logger, Interlocked.Read(ref _pending), timeout.TotalSeconds);
        return true;
    }

    /// <summary>
    /// How much nicer than the agent the redaction thread runs where the kernel refuses SCHED_IDLE (19 at most):
    /// the frame loops get the cores first.
    /// </summary>
    public const int WorkerNiceness = 19;

    /// <summary>The redaction thread's name (also its name in /proc: at most 15 characters).</summary>
    public const string WorkerThreadName = "EvidenceRedact";

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A thread of its own, not the thread pool's: it puts itself in SCHED_IDLE once (nice 19 where that is
        // refused), and OpenCV runs single-threaded (VisionNative), so every cycle of redaction runs only on a
        // core the frame loops leave idle. When they keep the cores busy (a bench replaying a file flat out),
        // redaction waits, the queue fills and images are dropped (counted); at a camera's 25 frames a second
        // the loops leave most of the box idle. Only the database write runs at the agent's own priority (Keep).
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = new Thread(() =>
        {
            try
            {
                Work(stoppingToken);
                done.SetResult();
            }
#pragma warning disable CA1031 // Handed to the host through the task, as an async ExecuteAsync would.
            catch (Exception e)
#pragma warning restore CA1031
            {
                done.SetException(e);
            }
        })
        { IsBackground = true, Name = WorkerThreadName };
        worker.Start();
        return done.Task;
    }

    private void Work(CancellationToken stoppingToken)
    {
        if (ThreadNice.Idle()) Log.Idle(_logger);
        else if (ThreadNice.Lower(WorkerNiceness) is { } nice) Log.Niced(_logger, nice);
        try
        {
            while (_queue.Reader.WaitToReadAsync(stoppingToken).AsTask().GetAwaiter().GetResult())
            {
                while (!stoppingToken.IsCancellationRequested && _queue.Reader.TryRead(out var item))
                {
                    using (item.Snapshot) Keep(item.ReadId, item.Time, item.Snapshot);
                    Interlocked.Decrement(ref _pending);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is still queued was never redacted, so it is dropped with its buffers.
        }
        finally
        {
            while (_queue.Reader.TryRead(out var left))
            {
                left.Snapshot.Dispose();
                Interlocked.Increment(ref _dropped);   // stopped before its turn: counted with the others dropped
                Interlocked.Decrement(ref _pending);
            }
            _redactor?.Dispose();
            LogSummary();
        }
    }

    private void Keep(string readId, DateTimeOffset time, EvidenceSnapshot snapshot)
    {
        string stage = "redact";
        try
        {
            _redactor ??= new Redactor(_options);
            long started = Stopwatch.GetTimestamp(), cpuStarted = ThreadCpuClock.Nanoseconds();
            RedactionResult plate = _redactor.Redact(snapshot.Plate, _masks, plate: snapshot.PlateInFrame);
            RedactionResult overview = _redactor.Redact(snapshot.Overview, _masks, plate: snapshot.PlateInFrame);
            double redactionMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            double redactionCpuMs = (ThreadCpuClock.Nanoseconds() - cpuStarted) / 1e6;
            stage = "encode";
            long encodeStarted = ThreadCpuClock.Nanoseconds();
            EncodedJpeg plateJpeg = Encode(snapshot.Plate, JpegEncoder.PlateCropMaxBytes);
            EncodedJpeg overviewJpeg = Encode(snapshot.Overview, JpegEncoder.OverviewMaxBytes);
            double encodingCpuMs = (ThreadCpuClock.Nanoseconds() - encodeStarted) / 1e6;
            stage = "store";
            // Images are the first thing to give up when the disk runs short: they must never cost a read its place.
            if (_limits.FreeBytes?.Invoke() is { } free && free < _limits.MinFreeBytes)
            {
                Interlocked.Increment(ref _dropped);
                Log.LowDisk(_logger, readId, free);
                return;
            }
            string summary = $"{{\"plate\":{plate.Summary},\"overview\":{overview.Summary}}}";
            // The write runs on a thread of the agent's own priority, this one waiting: the SQLite file's write
            // lock and the store's are shared with the read recorder and retention, and this thread, preempted
            // while holding them, would only run again once a core had nothing else to do.
            bool kept = Task.Run(() =>
            {
                lock (_closing)
                {
                    if (_closed) return false;   // counted as dropped in the summary already given
                    _store.Store(new EvidenceRecord(readId, time, plateJpeg.Bytes, overviewJpeg.Bytes, summary));
                    Interlocked.Increment(ref _stored);
                    Measure(redactionMs, redactionCpuMs, encodingCpuMs, plateJpeg.Bytes.Length, overviewJpeg.Bytes.Length);
                }
                KeepUnderCap();
                return true;
            }).GetAwaiter().GetResult();
            if (!kept) return;
            Log.Stored(_logger, readId, plateJpeg.Bytes.Length, overviewJpeg.Bytes.Length, overview.Faces + plate.Faces, overview.People + plate.People, redactionMs);
        }
#pragma warning disable CA1031 // Whatever went wrong, the unredacted pixels must not be kept: drop, count, audit.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref _failed);
            Log.Failed(_logger, readId, stage, e.Message);
            try
            {
                _audit.Append(AuditKinds.RedactionFailed, new Dictionary<string, string>
                {
                    ["read_id"] = readId,
                    ["stage"] = stage,
                    ["reason"] = e.Message.Length > 300 ? e.Message[..300] : e.Message,
                    ["failures_so_far"] = RedactionFailures.ToString(CultureInfo.InvariantCulture),
                });
            }
#pragma warning disable CA1031 // A broken audit log is reported; the images are dropped either way.
            catch (Exception auditError)
#pragma warning restore CA1031
            {
                Log.AuditFailed(_logger, readId, auditError.Message);
            }
        }
    }

    private void Measure(double redactionMs, double redactionCpuMs, double encodingCpuMs, int plateBytes, int overviewBytes)
    {
        _redactionMs.Add(redactionMs);
        _redactionCpuMs += redactionCpuMs;
        _encodingCpuMs += encodingCpuMs;
        _plateBytes += plateBytes;
        _overviewBytes += overviewBytes;
        _plateMax = Math.Max(_plateMax, plateBytes);
        _overviewMax = Math.Max(_overviewMax, overviewBytes);
    }

    /// <summary>
    /// The host waits for the worker only up to its shutdown timeout, and one redaction on a busy machine can take
    /// longer. Then the stop closes the recorder and gives the summary itself, counting what was still in the
    /// redactor or the queue as dropped: a stop always says what was kept.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await base.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (ExecuteTask is { IsCompleted: false })
            {
                lock (_closing)
                {
                    _closed = true;
                    LogSummary(unfinished: Interlocked.Read(ref _pending));
                }
            }
        }
    }

    private void LogSummary(long unfinished = 0)
    {
        if (Interlocked.Exchange(ref _summaryLogged, 1) != 0) return;
        lock (_closing) LogFigures(unfinished);
    }

    private void LogFigures(long unfinished)
    {
        Log.Summary(_logger, Stored, Dropped + unfinished, RedactionFailures);
        if (_redactionMs.Count == 0) return;
        _redactionMs.Sort();
        int n = _redactionMs.Count;
        Log.Figures(_logger, n, _redactionMs[n / 2], _redactionMs[^1], _redactionCpuMs / n, _encodingCpuMs / n, _plateBytes / n, _plateMax, JpegEncoder.PlateCropMaxBytes,
            _overviewBytes / n, _overviewMax, JpegEncoder.OverviewMaxBytes);
    }

    // Beyond Evidence:MaxBytes the oldest images go (audited as a retention deletion with its reason).
    private void KeepUnderCap()
    {
        int purged = _store.PurgeOldestOver(_limits.MaxBytes);
        if (purged == 0) return;
        Log.OverCap(_logger, purged, _limits.MaxBytes);
        try
        {
            _audit.Append(AuditKinds.RetentionPurged, new Dictionary<string, string>
            {
                ["what"] = "evidence",
                ["count"] = purged.ToString(CultureInfo.InvariantCulture),
                ["reason"] = "over Evidence:MaxBytes",
                ["max_bytes"] = _limits.MaxBytes.ToString(CultureInfo.InvariantCulture),
            });
        }
#pragma warning disable CA1031 // The deletion stands; the missing entry is logged loudly.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.AuditFailed(_logger, "(cap)", e.Message);
        }
    }

    private EncodedJpeg Encode(EvidenceImage image, int maxBytes) =>
        JpegEncoder.Encode(image.Bgr.AsSpan(0, image.Length), image.Width, image.Height, image.Stride, maxBytes, _gray);

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Debug, Message = "Evidence of read {Id} kept: plate crop {PlateBytes} B, overview {OverviewBytes} B ({Faces} faces, {People} people filled, redaction {RedactionMs:0} ms)")]
        public static partial void Stored(ILogger logger, string id, int plateBytes, int overviewBytes, int faces, int people, double redactionMs);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "Evidence of read {Id} dropped: {Stage} failed ({Reason}); nothing of it was kept")]
        public static partial void Failed(ILogger logger, string id, string stage, string reason);

        [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Evidence of read {Id} dropped: the redaction queue is full (the read itself is kept)")]
        public static partial void QueueFull(ILogger logger, string id);

        [LoggerMessage(EventId = 5004, Level = LogLevel.Critical, Message = "A redaction failure for read {Id} could not be audited: {Reason}")]
        public static partial void AuditFailed(ILogger logger, string id, string reason);

        [LoggerMessage(EventId = 5006, Level = LogLevel.Warning, Message = "{Count} evidence images still waited for redaction after {Seconds} s; they are dropped at the stop")]
        public static partial void NotDrained(ILogger logger, long count, double seconds);

        [LoggerMessage(EventId = 5007, Level = LogLevel.Warning, Message = "Evidence of read {Id} not kept: only {Free} bytes free where the outbox lives (reads come first)")]
        public static partial void LowDisk(ILogger logger, string id, long free);

        [LoggerMessage(EventId = 5008, Level = LogLevel.Information, Message = "Evidence over {MaxBytes} bytes: the {Count} oldest reads' images deleted")]
        public static partial void OverCap(ILogger logger, int count, long maxBytes);

        [LoggerMessage(EventId = 5013, Level = LogLevel.Debug, Message = "Evidence redaction runs at nice {Nice}: frames come first")]
        public static partial void Niced(ILogger logger, int nice);

        [LoggerMessage(EventId = 5014, Level = LogLevel.Debug, Message = "Evidence redaction runs in SCHED_IDLE: only on a core the frame loops leave idle")]
        public static partial void Idle(ILogger logger);

        [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "Evidence: {Stored} kept, {Dropped} dropped (queue full, disk short or stopped first), {Failed} redaction failures")]
        public static partial void Summary(ILogger logger, long stored, long dropped, long failed);

        [LoggerMessage(EventId = 5009, Level = LogLevel.Information, Message = "Evidence figures over {Passes} passes: redaction (plate crop and overview) {MedianMs:0} ms median, {MaxMs:0} ms max, {CpuMs:0} CPU ms mean (the redaction thread's clock), JPEG encoding {EncodeCpuMs:0} CPU ms mean; plate crop JPEG {PlateMean} B mean, {PlateMax} B max (cap {PlateCap}); overview JPEG {OverviewMean} B mean, {OverviewMax} B max (cap {OverviewCap})")]
        public static partial void Figures(ILogger logger, int passes, double medianMs, double maxMs, double cpuMs, double encodeCpuMs, long plateMean, int plateMax, int plateCap,
            long overviewMean, int overviewMax, int overviewCap);
    }
}

/// <summary>How much the evidence worker may hold and keep.</summary>
public sealed record EvidenceLimits
{
    /// <summary>Passes waiting for redaction at most (Evidence:QueueLength's default).</summary>
    public int QueueLength { get; init; } = 6;
    /// <summary>The most the kept images may take; the oldest go beyond it.</summary>
    public long MaxBytes { get; init; } = 128L * 1024 * 1024;
    /// <summary>Below this much free space where the outbox lives, images are not kept.</summary>
    public long MinFreeBytes { get; init; }
    /// <summary>Free bytes where the outbox lives (statvfs), or null when unknown.</summary>
    public Func<long?>? FreeBytes { get; init; }
}
