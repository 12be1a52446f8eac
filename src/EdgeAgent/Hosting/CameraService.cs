using System.Collections.Concurrent;

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Pipeline;
using EdgeAgent.Core.Ports;
using EdgeAgent.Platform;
using EdgeAgent.Settings;
using EdgeAgent.Vision;

namespace EdgeAgent.Hosting;

/// <summary>How the camera service treats its source.</summary>
public sealed record CameraRunSettings
{
    /// <summary>A recorded file played once: when it ends, drain and stop the agent.</summary>
    public bool Finite { get; init; }
    /// <summary>Keep the file's original pace instead of as fast as possible.</summary>
    public bool Realtime { get; init; }
    /// <summary>How long a finite run waits for the outbox to drain to the broker.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Measures the frame loops (`edgeagent bench`); null otherwise.</summary>
    public FrameLoopMeter? Meter { get; init; }
}

/// <summary>
/// Opens each camera (Camera:Source, or every one of Camera:Sources) and runs its frame loop. A live source
/// that fails is reopened with backoff; recorded files are played once, then the reads are drained and the
/// agent stops with an exit code.
/// </summary>
public sealed partial class CameraService(
    AgentSettings settings,
    CameraPipelineFactory pipelines,
    CameraRunSettings run,
    ReadRecorder recorder,
    RecorderService recorderService,
    AgentLifetime lifetime,
    TimeProvider time,
    ILogger<CameraService> logger,
    IEnumerable<IDrainable> drainables,
    CameraStateTracker states) : BackgroundService
{
    private readonly ConcurrentDictionary<string, CameraRunner> _runners = new(StringComparer.Ordinal);

    /// <summary>The first camera's current loop (with one camera, its only one).</summary>
    public CameraRunner? Runner => Runners.Count == 0 ? null : _runners.GetValueOrDefault(CameraIds[0]);

    /// <summary>Each camera's current loop, by camera id.</summary>
    public IReadOnlyDictionary<string, CameraRunner> Runners => _runners;

    private IReadOnlyList<string> CameraIds => [.. settings.Camera.EffectiveSources(settings.Mqtt.CameraId).Select(c => c.Id)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The frame loops run on their own threads; let the host finish starting first.
        await Task.Yield();
        // One loop per camera, side by side; they share the recorder (outbox) and the forwarder (MQTT).
        IReadOnlyList<CameraSourceSettings> cameras = settings.Camera.EffectiveSources(settings.Mqtt.CameraId);
        bool[] played = await Task.WhenAll(cameras.Select(camera => RunCameraAsync(camera, stoppingToken))).ConfigureAwait(false);
        // A finite run finishes once every file has played to its end; a failed one has stopped the agent already.
        if (!run.Finite || !played.All(p => p)) return;
        try
        {
            await FinishAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped while draining: the reads stay in the outbox for the next run.
        }
    }

    // One camera: reopened with backoff when live, played once when a file. True when a file played to its end.
    private async Task<bool> RunCameraAsync(CameraSourceSettings camera, CancellationToken stoppingToken)
    {
        using var pipeline = new LazyPipeline(pipelines, camera.Id);
        string uri = camera.Source;
        int attempt = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                states.Opening(camera.Id);
                await RunOnceAsync(camera, pipeline, stoppingToken).ConfigureAwait(false);
                states.RunEnded(camera.Id, run.Finite ? CameraState.Ended : CameraState.Opening, null);
                if (run.Finite) return true;
                ReleaseLastRun(camera.Id);
                attempt = 0;  // a live stream that ended cleanly: reopen at once
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                states.RunEnded(camera.Id, CameraState.Ended, null);
                return false;
            }
            catch (FrameSourceException e)
            {
                Log.SourceFailed(logger, SourceNames.Redact(uri), e.Message);
                states.RunEnded(camera.Id, run.Finite ? CameraState.Failed : CameraState.Reopening, e.Message);
                if (run.Finite)
                {
                    lifetime.Stop(ExitCodes.SourceFailed);
                    return false;
                }
                ReleaseLastRun(camera.Id);
                TimeSpan delay = Backoff(++attempt);
                Log.Reopening(logger, SourceNames.Redact(uri), delay.TotalSeconds);
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                states.RunEnded(camera.Id, CameraState.Failed, e.Message);
                Log.Crashed(logger, e);
                lifetime.Stop(ExitCodes.Failed);
                return false;
            }
        }
        return false;
    }

    private async Task RunOnceAsync(CameraSourceSettings camera, LazyPipeline lazy, CancellationToken stoppingToken)
    {
        string uri = camera.Source;
        using VideoFrameSource source = VideoFrameSource.Open(uri);
        FrameSourceInfo info = source.Info;
        var profile = pipelines.Profile;
        if (info.Width != profile.Width || info.Height != profile.Height)
            throw new FrameSourceException(
                $"source {uri} delivers {info.Width}x{info.Height} but hardware profile '{profile.Name}' expects {profile.Width}x{profile.Height}: " +
                "choose the matching profile with --Camera:Profile=<name> or fix the camera's stream settings");
        Log.SourceOpened(logger, SourceNames.Redact(uri), info.Width, info.Height, info.Fps, info.IsLive ? "live" : $"{info.FrameCount} frames");
        FramePipeline pipeline = lazy.Pipeline;
        long framesBefore = pipeline.FramesProcessed;
        var runner = new CameraRunner(source, pipeline, recorder, time, new CameraRunOptions { Realtime = run.Realtime, Meter = run.Meter }, lazy.Frames);
        lazy.Frames = runner.Frames;
        _runners[camera.Id] = runner;
        states.Streaming(camera.Id, runner, info.IsLive);
        long started = time.GetTimestamp();
        await runner.RunAsync(stoppingToken).ConfigureAwait(false);
        TimeSpan elapsed = time.GetElapsedTime(started);
        long frames = pipeline.FramesProcessed - framesBefore;
        Log.SourceEnded(logger, SourceNames.Redact(uri), frames, elapsed.TotalSeconds,
            frames / Math.Max(0.001, elapsed.TotalSeconds), runner.FramesDropped, recorder.Pending + recorder.Recorded);
    }

    /// <summary>
    /// A camera's pipeline, built at its first open and kept across reopens: the reader's model, the finder's
    /// buffers and the evidence pool are the same for every run of the camera, and rebuilding them at each reopen
    /// made a live camera's memory grow with every drop. A run ends with the tracker flushed, so nothing of one
    /// run's vehicles carries into the next. The frame ring is kept too (see <see cref="FrameRing.Reset"/>).
    /// </summary>
    private sealed class LazyPipeline(CameraPipelineFactory factory, string cameraId) : IDisposable
    {
        private (FramePipeline Pipeline, IDisposable Resources)? _built;

        public FramePipeline Pipeline => (_built ??= factory.Create(cameraId)).Pipeline;

        /// <summary>The last run's frames: only one run of a camera is under way at a time.</summary>
        public FrameRing? Frames { get; set; }

        public void Dispose() => _built?.Resources.Dispose();
    }

    // The file ended and every pass was flushed: commit the last reads, then wait for the broker's acks.
    private async Task FinishAsync(CancellationToken stoppingToken)
    {
        recorder.Complete();
        await recorderService.Completion.WaitAsync(stoppingToken).ConfigureAwait(false);
        foreach (IDrainable drainable in drainables)
        {
            if (!await drainable.WaitUntilDrainedAsync(run.DrainTimeout, stoppingToken).ConfigureAwait(false))
            {
                Log.NotDrained(logger, run.DrainTimeout.TotalSeconds);
                lifetime.Stop(ExitCodes.NotDrained);
                return;
            }
        }
        lifetime.Stop(ExitCodes.Ok);
    }

    // A reopen builds a new source; the camera's pipeline and frame ring are kept for it. The C heap keeps what the
    // closed source's decoder freed until a trim: without this the soak's RSS grew 60-70 MB at every reopen of a
    // 1080p file (while each run still made its own ring, whose old frames in the pinned heap only a full
    // collection freed; the collection stays, a reopen is rare).
    private void ReleaseLastRun(string cameraId)
    {
        _runners.TryRemove(cameraId, out _);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        NativeHeap.Trim();
    }

    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(attempt, 5))) + TimeSpan.FromMilliseconds(Random.Shared.Next(500));

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Source {Uri} open: {Width}x{Height} at {Fps:0.#} fps ({Length})")]
        public static partial void SourceOpened(ILogger logger, string uri, int width, int height, double fps, string length);

        [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Source {Uri} ended: {Frames} frames in {Seconds:0.0} s ({Fps:0.0} frames/s), {Dropped} dropped, {Passes} vehicle passes")]
        public static partial void SourceEnded(ILogger logger, string uri, long frames, double seconds, double fps, long dropped, long passes);

        [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "Source {Uri} failed: {Reason}")]
        public static partial void SourceFailed(ILogger logger, string uri, string reason);

        [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Reopening {Uri} in {Seconds:0.#} s")]
        public static partial void Reopening(ILogger logger, string uri, double seconds);

        [LoggerMessage(EventId = 1005, Level = LogLevel.Error, Message = "The outbox did not drain to the broker within {Seconds} s; the reads stay in the outbox for the next run")]
        public static partial void NotDrained(ILogger logger, double seconds);

        [LoggerMessage(EventId = 1006, Level = LogLevel.Critical, Message = "The camera loop failed")]
        public static partial void Crashed(ILogger logger, Exception exception);
    }
}

/// <summary>Something a finite run waits for before it exits (the forwarder, until the outbox is empty).</summary>
public interface IDrainable
{
    Task<bool> WaitUntilDrainedAsync(TimeSpan timeout, CancellationToken cancellation);
}
