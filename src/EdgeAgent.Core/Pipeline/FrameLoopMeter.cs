using System.Diagnostics;

namespace EdgeAgent.Core.Pipeline;

/// <summary>
/// Measures the frame loops of one run (every camera together) over a window that starts once
/// <see cref="WarmupFrames"/> frames have been processed (JIT tiers, pools and caches warm) and ends when
/// the last loop's source ends. At both edges it takes the process's allocated bytes, GC counts and the
/// pipelines' stage counters; in between it records each frame's processing time. Recording a frame
/// allocates nothing and takes no lock.
/// </summary>
public sealed class FrameLoopMeter
{
    private readonly List<LoopMeter> _loops = [];
    private readonly Lock _gate = new();
    private long _frames;
    private long _captureCpuNanoseconds;
    private long _captureWaitTicks;
    private int _active;

    public FrameLoopMeter(int warmupFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmupFrames);
        WarmupFrames = warmupFrames;
    }

    public int WarmupFrames { get; }

    /// <summary>
    /// The calling thread's CPU time in nanoseconds (the bench gives clock_gettime's thread clock; Core has no
    /// native code). Taken around each frame on the processing threads; null measures no CPU time.
    /// </summary>
    public Func<long>? ThreadCpuNanoseconds { get; init; }

    /// <summary>Processing time of each frame in the window (find, read, track; not the wait for the next frame).</summary>
    public DurationHistogram FrameTimes { get; } = new();

    /// <summary>Taken when the window opened; null until then (or if the sources ended during the warm-up).</summary>
    public FrameLoopSnapshot? WindowStart { get; private set; }

    /// <summary>Taken when the last loop ended.</summary>
    public FrameLoopSnapshot? WindowEnd { get; private set; }

    /// <summary>The window's figures, or null when it never opened or has not closed.</summary>
    public FrameLoopWindow? Window => WindowStart is { } start && WindowEnd is { } end ? new FrameLoopWindow(start, end, FrameTimes) : null;

    /// <summary>A loop begins: its frames count from now. Called by <see cref="CameraRunner"/>.</summary>
    public IReadOnlyList<LoopMeter> Loops
    {
        get
        {
            lock (_gate) return [.. _loops];
        }
    }

    public LoopMeter Attach(FramePipeline pipeline)
    {
        var loop = new LoopMeter(this, pipeline);
        lock (_gate)
        {
            _loops.Add(loop);
            _active++;
        }
        return loop;
    }

    /// <summary>The capture threads' CPU time reading frames (decode and conversion), summed over every camera.</summary>
    public long CaptureCpuNanoseconds => Interlocked.Read(ref _captureCpuNanoseconds);

    /// <summary>A capture thread read one frame in this much of its CPU time (the thread clock around the source's read).</summary>
    public void CaptureDone(long cpuNanoseconds) => Interlocked.Add(ref _captureCpuNanoseconds, cpuNanoseconds);

    /// <summary>
    /// <see cref="Stopwatch"/> ticks the capture threads waited for a free frame (every slot of the ring full:
    /// processing behind), summed over every camera.
    /// </summary>
    public long CaptureWaitTicks => Interlocked.Read(ref _captureWaitTicks);

    /// <summary>A capture thread waited this long for a frame to decode into.</summary>
    public void CaptureWaited(long ticks) => Interlocked.Add(ref _captureWaitTicks, ticks);

    internal void FrameDone(long processingTicks)
    {
        long n = Interlocked.Increment(ref _frames);
        if (n == WarmupFrames) WindowStart = Snapshot();
        else if (n > WarmupFrames) FrameTimes.AddTicks(processingTicks);
    }

    internal void LoopEnded()
    {
        bool last;
        lock (_gate) last = --_active == 0;
        if (last && WindowStart is not null) WindowEnd = Snapshot();
    }

    private FrameLoopSnapshot Snapshot()
    {
        // Precise: the allocation contexts of every thread are counted, so the difference is exact.
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var counters = default(PipelineCounters);
        long loopBytes = 0, allocatingFrames = 0, loopCpu = 0, loopWait = 0;
        lock (_gate)
        {
            foreach (LoopMeter loop in _loops)
            {
                counters += loop.Pipeline.Counters;
                loopBytes += loop.AllocatedBytes;
                allocatingFrames += loop.FramesAllocatingWithoutPass;
                loopCpu += loop.CpuNanoseconds;
                loopWait += loop.WaitTicks;
            }
        }
        return new FrameLoopSnapshot(Stopwatch.GetTimestamp(), allocated, GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
            counters, loopBytes, allocatingFrames, Environment.CpuUsage.TotalTime, loopCpu, CaptureCpuNanoseconds, loopWait, CaptureWaitTicks);
    }
}

/// <summary>One frame loop's share of a <see cref="FrameLoopMeter"/>: written by that loop's processing thread only.</summary>
public sealed class LoopMeter
{
    private readonly FrameLoopMeter _meter;
    private long _allocated;
    private long _allocatingFrames;
    private long _cpuNanoseconds;
    private long _waitTicks;
    private readonly List<(long, long, int, bool)> _offenders = new(capacity: 16);

    internal LoopMeter(FrameLoopMeter meter, FramePipeline pipeline)
    {
        _meter = meter;
        Pipeline = pipeline;
    }

    public FramePipeline Pipeline { get; }

    /// <summary>Managed bytes the processing thread allocated in its frames since it started.</summary>
    public long AllocatedBytes => Interlocked.Read(ref _allocated);

    /// <summary>Frames that allocated although no pass ended in them, emitted or dropped as a phantom (the zero-allocation claim says: none).</summary>
    public long FramesAllocatingWithoutPass => Interlocked.Read(ref _allocatingFrames);

    /// <summary>CPU time the processing thread spent in its frames (0 without a thread clock).</summary>
    public long CpuNanoseconds => Interlocked.Read(ref _cpuNanoseconds);

    /// <summary><see cref="Stopwatch"/> ticks the processing thread waited for a captured frame (the ring empty: capture behind).</summary>
    public long WaitTicks => Interlocked.Read(ref _waitTicks);

    /// <summary>The processing thread waited this long for its next frame.</summary>
    public void Waited(long ticks) => Interlocked.Add(ref _waitTicks, ticks);

    /// <summary>The processing thread's CPU clock now (0 without one): take it before a frame, give the difference to <see cref="FrameDone"/>.</summary>
    public long ThreadCpuNow() => _meter.ThreadCpuNanoseconds?.Invoke() ?? 0;

    /// <summary>
    /// The first few frames that allocated without ending a pass (frame index, bytes, garbage collections that
    /// ran while it was processed, whether the measured window had opened), to find the culprit.
    /// </summary>
    public IReadOnlyList<(long Frame, long Bytes, int Collections, bool InWindow)> AllocatingFrames
    {
        get
        {
            lock (_offenders) return [.. _offenders];
        }
    }

    public void FrameDone(long frameIndex, long processingTicks, long allocatedBytes, bool passEnded, long cpuNanoseconds = 0, int collections = 0)
    {
        Interlocked.Add(ref _allocated, allocatedBytes);
        Interlocked.Add(ref _cpuNanoseconds, cpuNanoseconds);
        if (allocatedBytes > 0 && !passEnded)
        {
            Interlocked.Increment(ref _allocatingFrames);
            lock (_offenders)
                if (_offenders.Count < _offenders.Capacity) _offenders.Add((frameIndex, allocatedBytes, collections, _meter.WindowStart is not null));
        }
        _meter.FrameDone(processingTicks);
    }

    public void Ended() => _meter.LoopEnded();
}

/// <summary>The state of every loop at one instant.</summary>
public sealed record FrameLoopSnapshot(long Timestamp, long TotalAllocatedBytes, int Gen0, int Gen1, int Gen2,
    PipelineCounters Counters, long LoopAllocatedBytes, long FramesAllocatingWithoutPass, TimeSpan ProcessCpu, long LoopCpuNanoseconds,
    long CaptureCpuNanoseconds, long LoopWaitTicks, long CaptureWaitTicks);

/// <summary>The measured window: the difference of its two snapshots, and the frame times recorded in it.</summary>
public sealed class FrameLoopWindow(FrameLoopSnapshot start, FrameLoopSnapshot end, DurationHistogram frameTimes)
{
    public PipelineCounters Counters { get; } = end.Counters - start.Counters;
    public long Frames => Counters.Frames;
    public double Seconds { get; } = (end.Timestamp - start.Timestamp) / (double)Stopwatch.Frequency;
    public double FramesPerSecond => Seconds > 0 ? Frames / Seconds : 0;

    /// <summary>CPU time of the whole process (every thread: decoding, frame loops, recorder, forwarder) per frame.</summary>
    public double CpuMsPerFrame { get; } = PerFrame(start, end, (end.ProcessCpu - start.ProcessCpu).TotalMilliseconds);

    /// <summary>
    /// CPU time of the processing threads per frame (find, read, track): what one processing thread needs of a
    /// core, whatever else the machine runs; 1000 / this is the frames/s it could keep up with alone on a core.
    /// </summary>
    public double LoopCpuMsPerFrame { get; } = PerFrame(start, end, (end.LoopCpuNanoseconds - start.LoopCpuNanoseconds) / 1e6);

    /// <summary>
    /// CPU time of the capture threads per frame processed: decoding and the BGR and gray conversion, as the
    /// pipeline pays for it beside the processing thread (the decode-only run gives the same work alone).
    /// </summary>
    public double CaptureCpuMsPerFrame { get; } = PerFrame(start, end, (end.CaptureCpuNanoseconds - start.CaptureCpuNanoseconds) / 1e6);

    /// <summary>
    /// Wall ms per frame the processing threads waited for a captured frame and the capture threads waited for a
    /// free one. Where a pipeline falls short of its threads' CPU figures, these say which side held the other up.
    /// </summary>
    public double ProcessingWaitMsPerFrame { get; } = PerFrame(start, end, (end.LoopWaitTicks - start.LoopWaitTicks) * 1000.0 / Stopwatch.Frequency);
    public double CaptureWaitMsPerFrame { get; } = PerFrame(start, end, (end.CaptureWaitTicks - start.CaptureWaitTicks) * 1000.0 / Stopwatch.Frequency);

    /// <summary>Every managed byte the process allocated in the window (all threads: frame loops, recorder, forwarder).</summary>
    public long AllocatedBytes { get; } = end.TotalAllocatedBytes - start.TotalAllocatedBytes;

    /// <summary>The bytes the frame loops' processing threads allocated (passes as they end, and nothing else once warm).</summary>
    public long LoopAllocatedBytes { get; } = end.LoopAllocatedBytes - start.LoopAllocatedBytes;

    public long FramesAllocatingWithoutPass { get; } = end.FramesAllocatingWithoutPass - start.FramesAllocatingWithoutPass;

    /// <summary>Collections in the window, as <see cref="GC.CollectionCount"/> counts them (a gen2 collection also counts in gen0 and gen1).</summary>
    public int Gen0 { get; } = end.Gen0 - start.Gen0;
    public int Gen1 { get; } = end.Gen1 - start.Gen1;
    public int Gen2 { get; } = end.Gen2 - start.Gen2;

    public double FrameMsP50 { get; } = frameTimes.Percentile(0.50);
    public double FrameMsP99 { get; } = frameTimes.Percentile(0.99);

    public double MsPerFrame(long ticks) => Frames > 0 ? ticks * 1000.0 / Stopwatch.Frequency / Frames : 0;

    // Static: the properties above are set from the snapshots before the instance's own ones exist.
    private static double PerFrame(FrameLoopSnapshot start, FrameLoopSnapshot end, double total)
    {
        long frames = end.Counters.Frames - start.Counters.Frames;
        return frames > 0 ? total / frames : 0;
    }
}
