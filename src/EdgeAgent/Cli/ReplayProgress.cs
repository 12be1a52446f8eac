using System.Diagnostics;
using System.Globalization;

using Microsoft.Extensions.DependencyInjection;

using EdgeAgent.Cli.Output;
using EdgeAgent.Core.Ports;
using EdgeAgent.Hosting;
using EdgeAgent.Vision;

namespace EdgeAgent.Cli;

/// <summary>Watches a running host: told when it has started, and when it has stopped (before it is disposed).</summary>
internal interface IHostObserver
{
    /// <summary>Runs until <paramref name="stopped"/> completes.</summary>
    Task WatchAsync(IServiceProvider services, Task stopped);

    /// <summary>The host has stopped; its services are still there.</summary>
    void Finish(IServiceProvider services, int exitCode);
}

/// <summary>
/// replay's progress: frames through the pipeline, reads committed and delivered, as bars on a terminal
/// or a line per tenth otherwise; then a summary table.
/// </summary>
internal sealed class ReplayProgress(CommandOutput output, string video) : IHostObserver
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    private readonly long _started = Stopwatch.GetTimestamp();
    private Snapshot _last = new(0, 0, 0, 0);

    public async Task WatchAsync(IServiceProvider services, Task stopped)
    {
        long total = FrameCount(video);
        var camera = services.GetRequiredService<CameraService>();
        var recorder = services.GetRequiredService<ReadRecorder>();
        ForwarderService? forwarder = services.GetService<ForwarderService>();
        await output.ProgressAsync("replay", async progress =>
        {
            ProgressItem frames = progress.Add($"{Path.GetFileName(video)}: frames", total);
            ProgressItem reads = progress.Add("reads committed", 0);
            ProgressItem? delivered = forwarder is null ? null : progress.Add("reads delivered", 0);
            while (!stopped.IsCompleted)
            {
                Update(camera, recorder, forwarder, frames, reads, delivered);
                await Task.WhenAny(stopped, Task.Delay(Poll)).ConfigureAwait(false);
            }
            Update(camera, recorder, forwarder, frames, reads, delivered);
            frames.Complete();
            reads.Complete();
            delivered?.Complete();
            return 0;
        }).ConfigureAwait(false);
    }

    public void Finish(IServiceProvider services, int exitCode)
    {
        double seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        OutboxStats? outbox = services.GetService<IOutbox>()?.GetStats();
        var rows = new List<(string, string)>
        {
            ("video", video),
            ("frames", _last.Frames.ToString(CultureInfo.InvariantCulture)),
            ("frames dropped", _last.Dropped.ToString(CultureInfo.InvariantCulture)),
            ("time", string.Create(CultureInfo.InvariantCulture, $"{seconds:0.0} s")),
            ("frames/s", string.Create(CultureInfo.InvariantCulture, $"{_last.Frames / Math.Max(0.001, seconds):0.0}")),
            ("reads committed", _last.Reads.ToString(CultureInfo.InvariantCulture)),
        };
        if (services.GetService<ForwarderService>() is not null)
            rows.Add(("reads delivered", _last.Delivered.ToString(CultureInfo.InvariantCulture)));
        if (outbox is not null) rows.Add(("left in the outbox", outbox.Unsent.ToString(CultureInfo.InvariantCulture)));
        rows.Add(("exit code", exitCode.ToString(CultureInfo.InvariantCulture)));
        output.Summary("replay", rows);
    }

    private void Update(CameraService camera, ReadRecorder recorder, ForwarderService? forwarder,
        ProgressItem frames, ProgressItem reads, ProgressItem? delivered)
    {
        var runner = camera.Runner;
        _last = new Snapshot(runner?.Pipeline.FramesProcessed ?? _last.Frames, runner?.FramesDropped ?? _last.Dropped,
            recorder.Recorded, forwarder?.Forwarder.Status.Acknowledged ?? 0);
        frames.Set(_last.Frames);
        reads.Set(_last.Reads);
        delivered?.Set(_last.Delivered);
    }

    // The file's own frame count, for the bar's total; unknown (0) if it cannot be opened here (the camera
    // service then reports why).
    private static long FrameCount(string path)
    {
        try
        {
            using VideoFrameSource source = VideoFrameSource.Open(path);
            return Math.Max(0, source.Info.FrameCount);
        }
        catch (Exception e) when (e is FrameSourceException or Vision.Native.VisionException)
        {
            return 0;
        }
    }

    private sealed record Snapshot(long Frames, long Dropped, long Reads, long Delivered);
}
