using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

using EdgeAgent.Core.Contract;
using EdgeAgent.Platform;
using EdgeAgent.Settings;
using EdgeAgent.Storage;

namespace EdgeAgent.Hosting;

/// <summary>
/// Publishes <c>.../health</c> every Health:IntervalSeconds, re-applies the outbox's limits (the disk can fill
/// from elsewhere), and speaks to systemd: READY=1 once the host has started, WATCHDOG=1 at half WatchdogSec
/// while this loop runs (a hung process stops the pings and systemd restarts it), STOPPING=1 on the way out.
/// </summary>
public sealed partial class HealthService(
    AgentSettings settings,
    SqliteOutbox outbox,
    CameraStateTracker cameras,
    ReadRecorder recorder,
    IServiceProvider services,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    SystemdNotifier notifier,
    EvictionAuditor auditor,
    ILogger<HealthService> logger) : BackgroundService
{
    private readonly Topics _topics = new(settings.Mqtt.Site, settings.Mqtt.CameraId);
    private readonly DateTimeOffset _started = time.GetUtcNow();
    private long _lastProcessed;
    private DateTimeOffset _lastAt;

    /// <summary>The latest report (for tests and the log).</summary>
    public HealthReport? Latest { get; private set; }

    public long Published { get; private set; }

    public HealthReport Build()
    {
        DateTimeOffset now = time.GetUtcNow();
        var snapshots = cameras.Snapshot();
        long processed = snapshots.Sum(c => c.FramesProcessed);
        double seconds = _lastAt == default ? (now - _started).TotalSeconds : (now - _lastAt).TotalSeconds;
        double fps = seconds > 0 ? Math.Max(0, processed - _lastProcessed) / seconds : 0;
        _lastProcessed = processed;
        _lastAt = now;
        return new HealthReport(now, now - _started, snapshots, fps, outbox.GetStats(), outbox.LiveBytes(), outbox.Limits.MaxBytes,
            outbox.EvictedUnsent, outbox.Evictions, outbox.PurgedDelivered, auditor.Audited, DiskSpace.Read(outbox.Path), KernelClock.Read(),
            services.GetService<ForwarderService>()?.Forwarder.Status, !string.IsNullOrWhiteSpace(settings.Mqtt.TlsCaFile), recorder.Recorded,
            ProcessFigures.Read());
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var ready = lifetime.ApplicationStarted.Register(() =>
        {
            if (notifier.Ready($"reading from camera {settings.Mqtt.CameraId}")) Log.Notified(logger, "READY=1");
        });
        TimeSpan interval = TimeSpan.FromSeconds(settings.Health.IntervalSeconds);
        TimeSpan? watchdog = notifier.WatchdogInterval();
        if (notifier.Problem is { } problem) Log.NotifyUnavailable(logger, problem);
        TimeSpan tick = watchdog is { } w && w < interval ? w : interval;
        DateTimeOffset nextReport = time.GetUtcNow();
        using var timer = new PeriodicTimer(tick, time);
        try
        {
            do
            {
                if (watchdog is not null) notifier.Watchdog();
                if (time.GetUtcNow() >= nextReport)
                {
                    nextReport = time.GetUtcNow() + interval;
                    Report();
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
        finally
        {
            notifier.Stopping();
        }
    }

    private void Report()
    {
        try
        {
            outbox.EnforceLimits();
            auditor.Flush();
            HealthReport report = Build();
            Latest = report;
            bool sent = services.GetService<ForwarderService>()?.Forwarder.TryPublish(_topics.Health, report.ToJson(), retain: false) ?? false;
            if (sent) Published++;
            Log.Health(logger, report.FramesPerSecond, report.Outbox.Unsent, report.EvictedUnsent,
                report.Cameras.Count > 0 ? report.Cameras[0].State : CameraState.Opening, sent);
        }
#pragma warning disable CA1031 // Health must outlive a failed look at the outbox (a locked or full disk): note it and go on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.HealthFailed(logger, e);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6001, Level = LogLevel.Debug, Message = "Health: {Fps:0.0} frames/s, outbox depth {Depth}, {Evicted} evicted, camera {State}, published {Sent}")]
        public static partial void Health(ILogger logger, double fps, long depth, long evicted, CameraState state, bool sent);

        [LoggerMessage(EventId = 6002, Level = LogLevel.Error, Message = "Health report failed")]
        public static partial void HealthFailed(ILogger logger, Exception e);

        [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "Told systemd {State}")]
        public static partial void Notified(ILogger logger, string state);

        [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "systemd notification unavailable: {Problem}")]
        public static partial void NotifyUnavailable(ILogger logger, string problem);
    }
}
