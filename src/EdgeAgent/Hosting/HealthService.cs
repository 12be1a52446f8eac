using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

using EdgeAgent.Core.Contract;
using EdgeAgent.Platform;
using EdgeAgent.Settings;
using EdgeAgent.Storage;

namespace EdgeAgent.Hosting;

/// <summary>
/// Publishes <c>.../health</c> every Health:IntervalSeconds and at once on every new broker connection (within
/// <see cref="ConnectionCheck"/>: the backend learns a unit's state, reconnects and backlog when it comes back,
/// not up to an interval later, and a short run still reports), re-applies the outbox's limits (the disk can fill
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
    private DateTimeOffset? _announcedConnection;  // ConnectedSince of the connection the last sent report went out on

    /// <summary>How often the loop looks for a new broker connection to report on.</summary>
    public static readonly TimeSpan ConnectionCheck = TimeSpan.FromMilliseconds(250);

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
        DateTimeOffset nextReport = time.GetUtcNow(), nextPing = nextReport;
        // The loop wakes often enough to see a new connection soon; the pings and the reports keep their own cadence.
        using var timer = new PeriodicTimer(watchdog is { } w && w < ConnectionCheck ? w : ConnectionCheck, time);
        try
        {
            do
            {
                DateTimeOffset now = time.GetUtcNow();
                if (watchdog is { } ping && now >= nextPing)
                {
                    nextPing = now + ping;
                    if (FrameLoopsAlive()) notifier.Watchdog();
                }
                if (now >= nextReport || NewConnection())
                {
                    nextReport = now + interval;
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

    private bool NewConnection() =>
        services.GetService<ForwarderService>()?.Forwarder.Status is { Connected: true, ConnectedSince: { } since } && since != _announcedConnection;

    /// <summary>A live camera stalled this long is taken as a hung frame loop: FFmpeg's own timeout would have reopened it.</summary>
    public static readonly TimeSpan HungAfter = TimeSpan.FromMinutes(2);

    private bool _hungNoted;

    // WATCHDOG=1 says more than "this loop runs": a frame loop stuck in native code (no frame for HungAfter, never
    // given up) stops the pings, so systemd restarts the agent, which a reopen could not do.
    private bool FrameLoopsAlive()
    {
        DateTimeOffset now = time.GetUtcNow();
        var hung = cameras.Snapshot().FirstOrDefault(c => c.State == CameraState.Stalled && now - (c.LastFrameAt ?? c.Since) > HungAfter);
        if (hung is null)
        {
            _hungNoted = false;
            return true;
        }
        if (!_hungNoted) Log.FrameLoopHung(logger, hung.Camera, (now - (hung.LastFrameAt ?? hung.Since)).TotalSeconds);
        _hungNoted = true;
        return false;
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
            if (sent)
            {
                Published++;
                _announcedConnection = report.Link?.ConnectedSince;
            }
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

        [LoggerMessage(EventId = 6005, Level = LogLevel.Critical, Message = "Camera {Camera} has delivered no frame for {Seconds:0} s and was never given up: its frame loop is hung; stopping the systemd watchdog pings so the agent is restarted")]
        public static partial void FrameLoopHung(ILogger logger, string camera, double seconds);

        [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "systemd notification unavailable: {Problem}")]
        public static partial void NotifyUnavailable(ILogger logger, string problem);
    }
}
