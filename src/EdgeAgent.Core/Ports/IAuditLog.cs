namespace EdgeAgent.Core.Ports;

/// <summary>
/// What the audit log records. Persisted in every entry: never rename a kind, only add. Details are short
/// text values (ids, counts, reasons); never a registration, a key or an image.
/// </summary>
public static class AuditKinds
{
    /// <summary>A signed sharing policy was accepted and is now in force (details: version, digest, source, recipients).</summary>
    public const string PolicyAccepted = "policy.accepted";
    /// <summary>A policy was offered and refused (unsigned, wrongly signed, not newer); the old one stays.</summary>
    public const string PolicyRefused = "policy.refused";
    /// <summary>Evidence images left the box in answer to an authorised request.</summary>
    public const string EvidenceDisclosed = "evidence.disclosed";
    /// <summary>A request for evidence was refused (recipient not allowed, unknown read, malformed).</summary>
    public const string EvidenceRefused = "evidence.refused";
    /// <summary>The retention job deleted what was due (details: what, count, cutoff).</summary>
    public const string RetentionPurged = "retention.purged";
    /// <summary>The unit secret was replaced (details: old and new key ids).</summary>
    public const string KeyRotated = "key.rotated";
    /// <summary>An image could not be redacted and was dropped, not kept.</summary>
    public const string RedactionFailed = "redaction.failed";
    /// <summary>Unsent reads were evicted from the outbox (size cap or age), counted.</summary>
    public const string OutboxEvicted = "outbox.evicted";
    /// <summary>The log itself recovered from a write cut off by a crash (details: bytes dropped).</summary>
    public const string AuditRecovered = "audit.recovered";
    /// <summary>An engineer wrote a redacted frame for the aim check (`edgeagent snapshot`; details: path, camera, user, redaction counts).</summary>
    public const string SnapshotTaken = "snapshot.taken";
}

/// <summary>One entry of the hash chain: <see cref="Hash"/> covers every other field, including <see cref="PreviousHash"/>.</summary>
public sealed record AuditEntry(
    long Seq,
    DateTimeOffset Time,
    string Kind,
    IReadOnlyDictionary<string, string> Details,
    string PreviousHash,
    string Hash);

/// <summary>The newest entry's sequence number and hash: what is published so an outside party can check the chain.</summary>
public sealed record AuditHead(long Seq, string Hash, DateTimeOffset? Time)
{
    /// <summary>The hash before the first entry (64 zeros).</summary>
    public static readonly string GenesisHash = new('0', 64);

    public static readonly AuditHead Empty = new(0, GenesisHash, null);
}

/// <summary>
/// The append-only, hash-chained audit log (ARCHITECTURE.md, privacy model). <see cref="Append"/> returns
/// only once the entry is durable (fsynced); it is safe from any thread and from several processes (the
/// agent and a CLI command) on the same file.
/// </summary>
public interface IAuditLog
{
    /// <summary>Appends an entry and returns it with its hash. Throws when the log cannot be written.</summary>
    AuditEntry Append(string kind, IReadOnlyDictionary<string, string> details);

    /// <summary>The newest entry (as last seen by this process).</summary>
    AuditHead Head { get; }
}
