using System.Globalization;

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

using EdgeAgent.Core.Contract;
using EdgeAgent.Core.Ports;
using EdgeAgent.Settings;
using EdgeAgent.Storage;

namespace EdgeAgent.Hosting;

/// <summary>
/// The purge job: at start and then every Retention:PurgeIntervalSeconds, deletes delivered reads older
/// than Retention:DeliveredReadsHours and evidence older than Retention:EvidenceHours, and audits each
/// deletion with its count and cutoff. Nothing is kept longer than configured (plus one interval).
/// </summary>
public sealed partial class RetentionService(
    RetentionSettings settings,
    SqliteOutbox outbox,
    IEvidenceStore evidence,
    IAuditLog audit,
    TimeProvider time,
    ILogger<RetentionService> logger) : BackgroundService
{
    private long _readsPurged, _evidencePurged;

    public long ReadsPurged => Interlocked.Read(ref _readsPurged);
    public long EvidencePurged => Interlocked.Read(ref _evidencePurged);

    /// <summary>One purge now (the loop's step; tests call it directly).</summary>
    public void PurgeOnce()
    {
        DateTimeOffset now = time.GetUtcNow();
        DateTimeOffset readsCutoff = now - TimeSpan.FromHours(settings.DeliveredReadsHours);
        int reads = outbox.PurgeDelivered(readsCutoff);
        if (reads > 0)
        {
            Interlocked.Add(ref _readsPurged, reads);
            Record("delivered_reads", reads, readsCutoff, settings.DeliveredReadsHours);
        }
        DateTimeOffset evidenceCutoff = now - TimeSpan.FromHours(settings.EvidenceHours);
        int images = evidence.PurgeCapturedBefore(evidenceCutoff);
        if (images > 0)
        {
            Interlocked.Add(ref _evidencePurged, images);
            Record("evidence", images, evidenceCutoff, settings.EvidenceHours);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(settings.PurgeIntervalSeconds), time);
        do
        {
            try
            {
                PurgeOnce();
            }
#pragma warning disable CA1031 // A failed purge (a locked database, a full disk) is tried again at the next tick.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.PurgeFailed(logger, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private void Record(string what, int count, DateTimeOffset cutoff, double hours)
    {
        Log.Purged(logger, count, what, hours);
        try
        {
            audit.Append(AuditKinds.RetentionPurged, new Dictionary<string, string>
            {
                ["what"] = what,
                ["count"] = count.ToString(CultureInfo.InvariantCulture),
                ["cutoff"] = ReadMessage.FormatTime(cutoff),
                ["retention_hours"] = hours.ToString(CultureInfo.InvariantCulture),
            });
        }
#pragma warning disable CA1031 // The deletion stands (keeping data longer is the worse failure); the missing entry is logged loudly.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.AuditFailed(logger, count, what, e.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "Retention: deleted {Count} {What} older than {Hours} h")]
        public static partial void Purged(ILogger logger, int count, string what, double hours);

        [LoggerMessage(EventId = 5011, Level = LogLevel.Error, Message = "Retention purge failed: {Reason}; trying again at the next interval")]
        public static partial void PurgeFailed(ILogger logger, string reason);

        [LoggerMessage(EventId = 5012, Level = LogLevel.Critical, Message = "Retention deleted {Count} {What} but could not audit it: {Reason}")]
        public static partial void AuditFailed(ILogger logger, int count, string what, string reason);
    }
}
