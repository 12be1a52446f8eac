using Microsoft.Data.Sqlite;

namespace EdgeAgent.Storage;

// The size cap and the full disk: the eviction rule of OutboxLimits, run under the outbox's lock. An
// eviction is never silent: it is counted here and raised as an event that the host logs, reports in
// health and writes to the audit log.
public sealed partial class SqliteOutbox
{
    private const int SqliteFull = 13;
    private const int SqliteIoErr = 10;
    private const int MaxRoomAttempts = 8;
    private const double LowWaterMark = 0.9;
    private const double HighWaterMark = 0.95;

    private OutboxLimits _limits = OutboxLimits.None;
    private long _evictedUnsent;
    private long _purgedDelivered;
    private long _evictions;
    private OutboxEviction? _lastEviction;
    private List<OutboxEviction>? _toRaise;   // raised outside the lock, in order

    /// <summary>Raised after every eviction (on the thread that caused it, outside the outbox's lock).</summary>
    public event Action<OutboxEviction>? Evicted;

    /// <summary>The ballast file deleted on a full disk so that the eviction itself has room.</summary>
    public string ReservePath => Path + ".reserve";

    /// <summary>Unsent reads given up by evictions since this outbox was opened.</summary>
    public long EvictedUnsent => Interlocked.Read(ref _evictedUnsent);

    /// <summary>Delivered reads deleted to make room since this outbox was opened.</summary>
    public long PurgedDelivered => Interlocked.Read(ref _purgedDelivered);

    /// <summary>Evictions run since this outbox was opened.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    public OutboxEviction? LastEviction => Volatile.Read(ref _lastEviction);

    /// <summary>The cap and the disk watch; setting them applies them at once (which may evict).</summary>
    public OutboxLimits Limits
    {
        get => _limits;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Validate() is { } problem) throw new ArgumentException($"Outbox limits: {problem}", nameof(value));
            lock (_gate)
            {
                _limits = value;
                EnsureReserve();
            }
            EnforceLimits();
        }
    }

    public long NewestSeq()
    {
        lock (_gate) return Count("SELECT coalesce(max(seq), 0) FROM reads");
    }

    /// <summary>Bytes of pages holding data (the file less its free pages); what the cap is compared with.</summary>
    public long LiveBytes()
    {
        lock (_gate) return LiveBytesLocked();
    }

    /// <summary>Applies the rule now (after each append, and periodically by the host); returns the eviction, if one ran.</summary>
    public OutboxEviction? EnforceLimits()
    {
        OutboxEviction? eviction;
        lock (_gate) eviction = EnforceLocked();
        RaisePending();
        return eviction;
    }

    // By default the WAL grows to 4 MB before a checkpoint: the size of a small card. 256 pages (1 MB) and
    // truncated back to 1 MB after each checkpoint bounds what the outbox takes beyond its data.
    private void BoundWal()
    {
        Execute("PRAGMA wal_autocheckpoint=256;");
        Execute("PRAGMA journal_size_limit=1048576;");
    }

    private void AfterAppend()
    {
        if (_limits.MaxBytes > 0 || _limits.MinFreeBytes > 0) EnforceLimits();
        else RaisePending();
    }

    // Under the lock. A write that fails for lack of space is retried after making room: a read the
    // pipeline hands over is accepted whenever evicting older ones can make room for it.
    private long AppendMakingRoom()
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                _append.ExecuteNonQuery();
                return (long)_lastSeq.ExecuteScalar()!;
            }
            catch (SqliteException e) when (IsDiskFull(e) && attempt < MaxRoomAttempts)
            {
                // Room for the eviction first: the reserve goes, and the WAL is folded back into the file.
                ReleaseReserve();
                TryCheckpoint();
                try
                {
                    Queue(EvictLocked(EvictionReason.DiskFull, (long)(LiveBytesLocked() * LowWaterMark), minUnsent: 1));
                }
                catch (SqliteException again) when (IsDiskFull(again) && attempt + 1 < MaxRoomAttempts)
                {
                    // Not even room to delete: the next attempt checkpoints again (a reader may have held the WAL).
                }
                TryCheckpoint();
            }
        }
    }

    private static bool IsDiskFull(SqliteException e) => e.SqliteErrorCode is SqliteFull or SqliteIoErr;

    private OutboxEviction? EnforceLocked()
    {
        long live = LiveBytesLocked();
        long allowed = long.MaxValue;
        EvictionReason reason = EvictionReason.OverCap;
        if (_limits.MaxBytes > 0 && live > _limits.MaxBytes) allowed = _limits.MaxBytes;
        if (_limits.MinFreeBytes > 0 && FreeBytes() is { } free && free < _limits.MinFreeBytes)
        {
            // The disk is short: the file may not grow any more, so the data keeps to the pages the file already
            // has. Evict once they are nearly all used (new reads then fill the pages the eviction freed).
            TryCheckpoint();
            long fileBytes = Count("PRAGMA page_count") * Count("PRAGMA page_size");
            if (live > fileBytes * HighWaterMark && fileBytes < allowed)
            {
                allowed = fileBytes;
                reason = EvictionReason.LowDisk;
            }
        }
        if (allowed == long.MaxValue) return null;
        if (reason == EvictionReason.OverCap && live <= allowed) return null;
        OutboxEviction? eviction;
        try
        {
            eviction = EvictLocked(reason, (long)(allowed * LowWaterMark), minUnsent: 0);
        }
        catch (SqliteException e) when (IsDiskFull(e))
        {
            ReleaseReserve();   // not even room to delete: give the next try the reserve's room
            return null;
        }
        Queue(eviction);
        return eviction;
    }

    /// <summary>
    /// Delivered reads first, then the oldest unsent in batches, until the live data is at most <paramref name="target"/>.
    /// Each batch commits on its own; when the disk refuses one, what was already deleted is still counted and
    /// reported (null only when nothing at all could be deleted).
    /// </summary>
    private OutboxEviction? EvictLocked(EvictionReason reason, long target, int minUnsent)
    {
        long before = LiveBytesLocked();
        int purged = 0, evicted = 0;
        long? firstSeq = null, lastSeq = null;
        long? oldest = null, newest = null;
        try
        {
            purged = Execute("DELETE FROM reads WHERE delivered_at IS NOT NULL");
            while (LiveBytesLocked() > target || evicted < minUnsent)
            {
                long unsent = Count("SELECT count(*) FROM reads WHERE delivered_at IS NULL");
                if (unsent == 0) break;
                int batch = (int)Math.Clamp(unsent / 20, Math.Max(1, minUnsent - evicted), 500);
                using SqliteCommand select = _connection.CreateCommand();
                select.CommandText = "SELECT min(seq), max(seq), min(created_at), max(created_at) FROM " +
                                     "(SELECT seq, created_at FROM reads WHERE delivered_at IS NULL ORDER BY seq LIMIT $n)";
                select.Parameters.AddWithValue("$n", batch);
                long from, upTo, batchOldest, batchNewest;
                using (SqliteDataReader r = select.ExecuteReader())
                {
                    r.Read();
                    (from, upTo, batchOldest, batchNewest) = (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3));
                }
                evicted += Execute($"DELETE FROM reads WHERE delivered_at IS NULL AND seq <= {upTo}");
                // Only after the batch committed: a refused batch deleted nothing and is not counted.
                firstSeq ??= from;
                lastSeq = upTo;
                oldest = oldest is { } o ? Math.Min(o, batchOldest) : batchOldest;
                newest = newest is { } n ? Math.Max(n, batchNewest) : batchNewest;
            }
        }
        catch (SqliteException e) when (IsDiskFull(e))
        {
            if (purged == 0 && evicted == 0) throw;
        }
        Interlocked.Add(ref _purgedDelivered, purged);
        Interlocked.Add(ref _evictedUnsent, evicted);
        Interlocked.Increment(ref _evictions);
        var eviction = new OutboxEviction(reason, DateTimeOffset.UtcNow, purged, evicted, firstSeq, lastSeq,
            oldest is { } a ? DateTimeOffset.FromUnixTimeMilliseconds(a) : null,
            newest is { } b ? DateTimeOffset.FromUnixTimeMilliseconds(b) : null, before, LiveBytesLocked());
        Volatile.Write(ref _lastEviction, eviction);
        return eviction;
    }

    private void Queue(OutboxEviction? eviction)
    {
        if (eviction is not null) (_toRaise ??= []).Add(eviction);
    }

    private void RaisePending()
    {
        List<OutboxEviction>? pending;
        lock (_gate)
        {
            pending = _toRaise;
            _toRaise = null;
            if (pending is not null) EnsureReserve();
        }
        if (pending is null) return;
        foreach (OutboxEviction e in pending) Evicted?.Invoke(e);
    }

    private long LiveBytesLocked()
    {
        long pageSize = Count("PRAGMA page_size");
        return (Count("PRAGMA page_count") - Count("PRAGMA freelist_count")) * pageSize;
    }

    private long? FreeBytes() => _limits.FreeBytesProbe?.Invoke(System.IO.Path.GetDirectoryName(Path)!);

    private void TryCheckpoint()
    {
        try
        {
            Execute("PRAGMA wal_checkpoint(TRUNCATE);");
        }
        catch (SqliteException e) when (IsDiskFull(e))
        {
            // No room even to checkpoint; the WAL is reused from its start anyway once readers are done.
        }
    }

    /// <summary>Deletes the reserve file (to give a full disk room for the eviction, or for its audit entry); true when there was one.</summary>
    public bool ReleaseReserve()
    {
        try
        {
            if (!File.Exists(ReservePath)) return false;
            File.Delete(ReservePath);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    // Recreated once there is room again (never at the cost of the outbox's own free-space margin).
    private void EnsureReserve()
    {
        if (_limits.ReserveBytes <= 0 || File.Exists(ReservePath)) return;
        if (FreeBytes() is { } free && free < _limits.ReserveBytes * 2 + _limits.MinFreeBytes) return;
        try
        {
            using var file = new FileStream(ReservePath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough);
            var zeros = new byte[64 * 1024];   // written, not sparse: the blocks must really be held
            for (long left = _limits.ReserveBytes; left > 0; left -= zeros.Length)
                file.Write(zeros, 0, (int)Math.Min(zeros.Length, left));
        }
        catch (IOException)
        {
            ReleaseReserve();   // a half-written reserve holds space for nothing
        }
    }

    private int Execute(string sql)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    private long Count(string sql)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
