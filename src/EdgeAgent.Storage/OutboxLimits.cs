namespace EdgeAgent.Storage;

/// <summary>
/// How big the outbox may grow. The eviction rule (README "Store and forward"): when the live data is over
/// <see cref="MaxBytes"/>; or the filesystem has less than <see cref="MinFreeBytes"/> free and the data fills
/// 95 % of the pages the file already has (it may not grow); or a write fails because the disk is full:
/// delivered reads are deleted first (no loss), then the oldest unsent reads, until the data is back under
/// 90 % of what is allowed. Every unsent read evicted is counted, logged, reported in health and audited.
/// </summary>
public sealed record OutboxLimits
{
    /// <summary>No cap and no disk watch: the behaviour of an outbox nobody configured.</summary>
    public static readonly OutboxLimits None = new();

    /// <summary>The most the outbox's data may take, in bytes; 0 for no cap.</summary>
    public long MaxBytes { get; init; }

    /// <summary>Free space to leave on the outbox's filesystem, in bytes; 0 to not watch the disk.</summary>
    public long MinFreeBytes { get; init; }

    /// <summary>
    /// A file of this many bytes kept beside the outbox and deleted when the disk is full, so that the
    /// eviction itself (which writes to the WAL) has room to run. 0 for none.
    /// </summary>
    public long ReserveBytes { get; init; }

    /// <summary>Free bytes on the filesystem holding a path (statvfs), or null when unknown.</summary>
    public Func<string, long?>? FreeBytesProbe { get; init; }

    public string? Validate() =>
        MaxBytes < 0 ? $"MaxBytes {MaxBytes} cannot be negative"
        : MaxBytes is > 0 and < MinimumCap ? $"MaxBytes {MaxBytes} is below the smallest useful outbox ({MinimumCap} bytes)"
        : MinFreeBytes < 0 ? $"MinFreeBytes {MinFreeBytes} cannot be negative"
        : ReserveBytes < 0 ? $"ReserveBytes {ReserveBytes} cannot be negative"
        : null;

    /// <summary>An empty outbox with its schema takes a few pages; a cap below this could never be met.</summary>
    public const long MinimumCap = 64 * 1024;
}

/// <summary>Why an eviction ran.</summary>
public enum EvictionReason
{
    /// <summary>The live data passed <see cref="OutboxLimits.MaxBytes"/>.</summary>
    OverCap,
    /// <summary>The filesystem's free space fell below <see cref="OutboxLimits.MinFreeBytes"/>.</summary>
    LowDisk,
    /// <summary>A write failed with SQLITE_FULL: the disk is full.</summary>
    DiskFull,
}

/// <summary>
/// One eviction, for the log, health and the audit log: how many delivered reads were purged, how many
/// unsent reads were given up (oldest first) and which ones (by sequence and read time; ids are not needed
/// to show a gap, and the hashes are never repeated outside the outbox).
/// </summary>
public sealed record OutboxEviction(
    EvictionReason Reason,
    DateTimeOffset At,
    int DeliveredPurged,
    int UnsentEvicted,
    long? FirstSeq,
    long? LastSeq,
    DateTimeOffset? OldestRead,
    DateTimeOffset? NewestRead,
    long LiveBytesBefore,
    long LiveBytesAfter)
{
    public string Describe() =>
        $"outbox eviction ({Reason}): {UnsentEvicted} unsent read(s) evicted" +
        (UnsentEvicted > 0 ? $" (#{FirstSeq}..#{LastSeq}, read {OldestRead:O} .. {NewestRead:O})" : "") +
        $", {DeliveredPurged} delivered read(s) purged; live data {LiveBytesBefore} -> {LiveBytesAfter} bytes";
}
