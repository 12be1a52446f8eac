using System.Diagnostics;

using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Ports;
using EdgeAgent.Core.Reads;

namespace EdgeAgent.Core.Pipeline;

/// <summary>How a camera's frames are paced and what happens when processing falls behind.</summary>
public sealed record CameraRunOptions
{
    /// <summary>
    /// Frames in the ring between capture and processing: one being written, one being processed, one ready
    /// in between. Each 1080p frame is 8 MB (BGR and gray), so a slot more costs memory and buys nothing.
    /// </summary>
    public int RingCapacity { get; init; } = 3;

    /// <summary>Replay pacing: false plays a file as fast as possible, true keeps the original frame times.</summary>
    public bool Realtime { get; init; }

    /// <summary>Measures the loop (the bench); null in normal running, which then costs nothing extra.</summary>
    public FrameLoopMeter? Meter { get; init; }
}

/// <summary>
/// Runs one camera: a capture thread that reads frames into the ring and never waits on processing (for a
/// live source), and a processing thread that takes them through the pipeline. Recorded files are
/// replayed without dropping a frame, so a replay is deterministic.
/// </summary>
public sealed class CameraRunner
{
    private readonly IFrameSource _source;
    private readonly FramePipeline _pipeline;
    private readonly IPassSink _sink;
    private readonly TimeProvider _time;
    private readonly CameraRunOptions _options;
    private readonly FrameRing _ring;
    private long _captured;

    /// <param name="frames">
    /// The ring of an earlier run of the same camera (<see cref="Frames"/>), reused when its frames fit this
    /// source; null, or a ring that does not fit, makes a new one.
    /// </param>
    public CameraRunner(IFrameSource source, FramePipeline pipeline, IPassSink sink, TimeProvider time, CameraRunOptions? options = null,
        FrameRing? frames = null)
    {
        _source = source;
        _pipeline = pipeline;
        _sink = sink;
        _time = time;
        _options = options ?? new CameraRunOptions();
        FrameSourceInfo info = source.Info;
        RingOverflow overflow = info.IsLive ? RingOverflow.DropOldest : RingOverflow.Wait;
        if (frames is not null && frames.Width == info.Width && frames.Height == info.Height && frames.Capacity == _options.RingCapacity)
        {
            frames.Reset(overflow);
            _ring = frames;
        }
        else
        {
            _ring = new FrameRing(_options.RingCapacity, info.Width, info.Height, overflow);
        }
    }

    /// <summary>This run's frames, for the camera's next run to reuse once this one has ended.</summary>
    public FrameRing Frames => _ring;

    public long FramesCaptured => Interlocked.Read(ref _captured);
    public long FramesDropped => _ring.Dropped;
    public FramePipeline Pipeline => _pipeline;

    /// <summary>Completes when a recorded source ends (every pass flushed) or on cancellation; faults when the source fails.</summary>
    public Task RunAsync(CancellationToken cancellation)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // A failure on either side stops the other: a blocked capture must not wait forever on a dead consumer.
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        Exception? captureError = null;
        var capture = new Thread(() =>
        {
            captureError = Capture(stop.Token);
        })
        {
            IsBackground = true,
            Name = "capture " + _pipeline.CameraId,
        };
        var processing = new Thread(() =>
        {
            Exception? processingError = null;
            try
            {
                Process(stop.Token);
            }
            catch (Exception e)
            {
                processingError = e;
                stop.Cancel();
            }
            capture.Join();
            stop.Dispose();
            if ((processingError ?? captureError) is { } error) done.SetException(error);
            else if (cancellation.IsCancellationRequested) done.SetCanceled(cancellation);
            else done.SetResult();
        })
        {
            IsBackground = true,
            Name = "frames " + _pipeline.CameraId,
        };
        capture.Start();
        processing.Start();
        return done.Task;
    }

    private Exception? Capture(CancellationToken cancellation)
    {
        bool live = _source.Info.IsLive;
        FrameLoopMeter? meter = _options.Meter;
        Func<long>? cpuClock = meter?.ThreadCpuNanoseconds;   // the bench's: capture CPU ms per frame
        DateTimeOffset start = _time.GetUtcNow();
        long startTicks = _time.GetTimestamp();
        long index = 0;
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                long waiting = meter is null ? 0 : Stopwatch.GetTimestamp();
                Frame? frame = _ring.AcquireForWrite(cancellation);
                meter?.CaptureWaited(Stopwatch.GetTimestamp() - waiting);
                if (frame is null) break;
                FrameReadResult result;
                try
                {
                    long cpu = cpuClock?.Invoke() ?? 0;
                    result = _source.Read(frame);
                    if (cpuClock is not null) meter!.CaptureDone(cpuClock() - cpu);
                }
                catch
                {
                    _ring.Release(frame);
                    throw;
                }
                if (result == FrameReadResult.EndOfStream)
                {
                    _ring.Release(frame);
                    break;
                }
                frame.Index = index++;
                frame.CapturedAt = live ? _time.GetUtcNow() : start.AddMilliseconds(frame.StreamTimeMs);
                if (_options.Realtime && !live) WaitUntil(startTicks, frame.StreamTimeMs, cancellation);
                Interlocked.Increment(ref _captured);
                _ring.Publish(frame);
            }
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
        finally
        {
            _ring.Complete();
        }
    }

    private void Process(CancellationToken cancellation)
    {
        LoopMeter? meter = _options.Meter?.Attach(_pipeline);
        try
        {
            long waiting = meter is null ? 0 : Stopwatch.GetTimestamp();   // the bench's wait figure; nothing in normal running
            while (_ring.TryTake(out Frame frame, cancellation))
            {
                meter?.Waited(Stopwatch.GetTimestamp() - waiting);
                try
                {
                    if (meter is null) _pipeline.Process(frame, _sink);
                    else ProcessMeasured(frame, meter);
                }
                finally
                {
                    _ring.Release(frame);
                }
                if (meter is not null) waiting = Stopwatch.GetTimestamp();
            }
        }
        finally
        {
            // The window closes before the flush: what is left is end-of-source work, not steady state.
            meter?.Ended();
        }
        if (!cancellation.IsCancellationRequested) _pipeline.Flush(_sink);
    }

    private void ProcessMeasured(Frame frame, LoopMeter meter)
    {
        // A pass that ends is born as an object even when the tracker then drops it as a phantom.
        long ended = _pipeline.Counters.Passes + _pipeline.PhantomsDropped;
        long cpu = meter.ThreadCpuNow();
        int collections = GC.CollectionCount(0);
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        long started = Stopwatch.GetTimestamp();
        _pipeline.Process(frame, _sink);
        long elapsed = Stopwatch.GetTimestamp() - started;
        long bytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
        meter.FrameDone(frame.Index, elapsed, bytes, _pipeline.Counters.Passes + _pipeline.PhantomsDropped != ended, meter.ThreadCpuNow() - cpu,
            GC.CollectionCount(0) - collections);
    }

    private void WaitUntil(long startTicks, double streamMs, CancellationToken cancellation)
    {
        TimeSpan due = TimeSpan.FromMilliseconds(streamMs) - _time.GetElapsedTime(startTicks);
        if (due > TimeSpan.Zero) cancellation.WaitHandle.WaitOne(due);
    }
}
