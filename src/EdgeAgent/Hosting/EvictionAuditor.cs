using System.Collections.Concurrent;
using System.Globalization;

using Microsoft.Extensions.Logging;

using EdgeAgent.Core.Ports;
using EdgeAgent.Storage;

namespace EdgeAgent.Hosting;

/// <summary>
/// Writes every outbox eviction to the audit log (kind outbox.evicted). An eviction happens when the disk is
/// short, so the audit write itself may find no room: then the outbox's reserve file is given back and the
/// write tried again; failing that the entry waits here and the health loop retries it, so it is delayed,
/// never dropped, while the agent lives (the warning 3101 is in the log either way).
/// </summary>
public sealed partial class EvictionAuditor(IAuditLog audit, ILogger<EvictionAuditor> logger)
{
    private readonly ConcurrentQueue<OutboxEviction> _pending = new();
    private readonly Lock _gate = new();
    private long _audited;
    private bool _failing;

    /// <summary>The outbox whose reserve may be given back for the audit's sake.</summary>
    public SqliteOutbox? Outbox { get; set; }

    public long Audited => Interlocked.Read(ref _audited);

    public int Pending => _pending.Count;

    public void Record(OutboxEviction eviction)
    {
        _pending.Enqueue(eviction);
        Flush();
    }

    /// <summary>Writes what is waiting, oldest first; stops at the first failure (tried again later).</summary>
    public void Flush()
    {
        lock (_gate)
        {
            while (_pending.TryPeek(out OutboxEviction? e))
            {
                if (!TryAppend(e) && !(Outbox?.ReleaseReserve() == true && TryAppend(e))) return;
                _pending.TryDequeue(out _);
                Interlocked.Increment(ref _audited);
                if (_failing) Log.AuditCaughtUp(logger, _pending.Count);
                _failing = false;
            }
        }
    }

    private bool TryAppend(OutboxEviction e)
    {
        try
        {
            audit.Append(AuditKinds.OutboxEvicted, Details(e));
            return true;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            if (!_failing) Log.AuditFailed(logger, ex.Message);
            _failing = true;
            return false;
        }
    }

    public static Dictionary<string, string> Details(OutboxEviction e)
    {
        var d = new Dictionary<string, string>
        {
            ["reason"] = e.Reason.ToString(),
            ["unsent_evicted"] = e.UnsentEvicted.ToString(CultureInfo.InvariantCulture),
            ["delivered_purged"] = e.DeliveredPurged.ToString(CultureInfo.InvariantCulture),
            ["live_bytes_before"] = e.LiveBytesBefore.ToString(CultureInfo.InvariantCulture),
            ["live_bytes_after"] = e.LiveBytesAfter.ToString(CultureInfo.InvariantCulture),
            ["at"] = e.At.ToString("O", CultureInfo.InvariantCulture),
        };
        if (e.FirstSeq is { } first) d["first_seq"] = first.ToString(CultureInfo.InvariantCulture);
        if (e.LastSeq is { } last) d["last_seq"] = last.ToString(CultureInfo.InvariantCulture);
        if (e.OldestRead is { } oldest) d["oldest_read"] = oldest.ToString("O", CultureInfo.InvariantCulture);
        if (e.NewestRead is { } newest) d["newest_read"] = newest.ToString("O", CultureInfo.InvariantCulture);
        return d;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3103, Level = LogLevel.Error, Message = "An outbox eviction could not be written to the audit log yet ({Reason}); it is kept and tried again")]
        public static partial void AuditFailed(ILogger logger, string reason);

        [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "The audit log took the waiting outbox eviction(s); {Left} still waiting")]
        public static partial void AuditCaughtUp(ILogger logger, int left);
    }
}
