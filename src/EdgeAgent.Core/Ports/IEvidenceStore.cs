namespace EdgeAgent.Core.Ports;

/// <summary>
/// The evidence images of one read, already redacted and size-capped (JPEG). <see cref="Redaction"/> says
/// what was filled (JSON counts), so a disclosure can record it.
/// </summary>
public sealed record EvidenceRecord(string ReadId, DateTimeOffset CapturedAt, byte[]? PlateJpeg, byte[]? OverviewJpeg, string Redaction);

/// <summary>Where evidence images wait, in the buffer, until a request or their retention time. Thread-safe.</summary>
public interface IEvidenceStore
{
    void Store(EvidenceRecord evidence);

    /// <summary>The evidence of a read, or null when there is none (never kept, or purged).</summary>
    EvidenceRecord? Find(string readId);

    /// <summary>Deletes the evidence captured before <paramref name="cutoff"/>; returns how many reads' images went.</summary>
    int PurgeCapturedBefore(DateTimeOffset cutoff);

    /// <summary>Deletes the oldest evidence until the images take at most <paramref name="maxBytes"/>; returns how many reads' images went.</summary>
    int PurgeOldestOver(long maxBytes);

    /// <summary>How many reads have evidence kept.</summary>
    long Count { get; }

    /// <summary>Bytes of JPEG kept.</summary>
    long Bytes { get; }
}
