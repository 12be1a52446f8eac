using Microsoft.Extensions.Logging;

using EdgeAgent.Platform;
using EdgeAgent.Settings;
using EdgeAgent.Storage;

namespace EdgeAgent.Hosting;

/// <summary>
/// Opens the outbox with its limits (Storage:MaxBytes, MinFreeBytes, ReserveBytes) and makes every eviction
/// loud: a numbered warning now, a line in health, and an entry in the audit log.
/// </summary>
public static partial class OutboxSetup
{
    public static SqliteOutbox Open(AgentSettings settings, ILogger logger, EvictionAuditor auditor)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(auditor);
        SqliteOutbox outbox;
        try
        {
            outbox = new SqliteOutbox(settings.Storage.Path);
        }
        catch (InvalidOperationException e) when (File.Exists(settings.Storage.Path + ".reserve"))
        {
            // A full disk can refuse even the WAL's index file: give back the reserve and try once more.
            Log.ReserveReleased(logger, e.Message);
            File.Delete(settings.Storage.Path + ".reserve");
            outbox = new SqliteOutbox(settings.Storage.Path);
        }
        outbox.Evicted += e => Log.Evicted(logger, e.Reason, e.UnsentEvicted, e.DeliveredPurged, e.FirstSeq ?? 0, e.LastSeq ?? 0,
            e.LiveBytesBefore, e.LiveBytesAfter);
        outbox.Evicted += auditor.Record;
        auditor.Outbox = outbox;
        try
        {
            outbox.Limits = new OutboxLimits
            {
                MaxBytes = settings.Storage.MaxBytes,
                MinFreeBytes = settings.Storage.MinFreeBytes,
                ReserveBytes = settings.Storage.ReserveBytes,
                FreeBytesProbe = DiskSpace.FreeBytes,
            };
        }
        catch
        {
            outbox.Dispose();
            throw;
        }
        return outbox;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "The outbox would not open ({Reason}); released its reserve file and retried")]
        public static partial void ReserveReleased(ILogger logger, string reason);

        [LoggerMessage(EventId = 3101, Level = LogLevel.Warning,
            Message = "Outbox eviction ({Reason}): {Unsent} unsent read(s) given up (#{FirstSeq}..#{LastSeq}, oldest first), {Delivered} delivered purged; live data {Before} -> {After} bytes")]
        public static partial void Evicted(ILogger logger, EvictionReason reason, int unsent, int delivered, long firstSeq, long lastSeq, long before, long after);
    }
}
