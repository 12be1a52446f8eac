using System.Buffers;

using EdgeAgent.Core.Plates;

namespace EdgeAgent.Core.Reads;

/// <summary>
/// An image copied out of a frame for evidence (BGR, tightly packed), with where it sits in the frame so
/// that static privacy masks (in frame pixels) can be placed on it: image x = (frame x - OriginX) * Scale.
/// </summary>
public sealed record EvidenceImage(byte[] Bgr, int Width, int Height, float OriginX, float OriginY, float Scale)
{
    public int Stride => Width * 3;
    public int Length => Width * Height * 3;
}

/// <summary>
/// The pixels of a pass's best frame, copied before that frame left the ring: the plate crop and a shrunken
/// overview. Not yet redacted: nothing may store or send it before the redactor has filled faces, people
/// and masks. The buffers are rented: dispose the snapshot (or the pass) to return them.
/// </summary>
public sealed class EvidenceSnapshot : IDisposable
{
    private int _disposed;

    public EvidenceSnapshot(EvidenceImage plate, EvidenceImage overview, long frameIndex, DateTimeOffset capturedAt, BoxI plateInFrame)
    {
        PlateInFrame = plateInFrame;
        Plate = plate;
        Overview = overview;
        FrameIndex = frameIndex;
        CapturedAt = capturedAt;
    }

    public EvidenceImage Plate { get; }
    public EvidenceImage Overview { get; }
    public long FrameIndex { get; }
    /// <summary>The plate's box in frame pixels (redaction keeps detections off it).</summary>
    public BoxI PlateInFrame { get; }
    public DateTimeOffset CapturedAt { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        // Wiped before going back to the pool: a rented buffer must not carry a face to its next user.
        Plate.Bgr.AsSpan(0, Plate.Length).Clear();
        Overview.Bgr.AsSpan(0, Overview.Length).Clear();
        ArrayPool<byte>.Shared.Return(Plate.Bgr);
        ArrayPool<byte>.Shared.Return(Overview.Bgr);
    }
}
