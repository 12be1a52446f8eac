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
/// and masks. The buffers come from an <see cref="EvidenceBufferPool"/>: dispose the snapshot to give them back.
/// </summary>
public sealed class EvidenceSnapshot : IDisposable
{
    private readonly EvidenceBufferPool? _pool;
    private int _disposed;

    public EvidenceSnapshot(EvidenceImage plate, EvidenceImage overview, long frameIndex, DateTimeOffset capturedAt, BoxI plateInFrame,
        EvidenceBufferPool? pool = null)
    {
        PlateInFrame = plateInFrame;
        Plate = plate;
        Overview = overview;
        FrameIndex = frameIndex;
        CapturedAt = capturedAt;
        _pool = pool;
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
        // Wiped before going back: a pooled buffer must not carry a face to its next user.
        Plate.Bgr.AsSpan(0, Plate.Length).Clear();
        Overview.Bgr.AsSpan(0, Overview.Length).Clear();
        _pool?.Return(Plate.Bgr, Overview.Bgr);
    }
}

/// <summary>
/// Buffers for evidence snapshots, of exactly the capture's sizes, all made at construction (before the first
/// frame) and reused: the images of passes waiting for redaction take a bounded amount of memory, and a steady
/// stream of passes allocates nothing. They are large objects (the overview's 1.5 MB at 960 wide): made in the
/// middle of a run they would cost the frame loop that takes the snapshot an allocation and the process a gen2
/// collection. Uninitialised and never written until a pass uses them, so the pages of buffers not yet used are
/// not resident: this costs address space, not RSS. When every buffer is in use, a pass goes without evidence
/// (counted in <see cref="Exhausted"/>) rather than growing the heap. Rented last-returned first, so a steady
/// stream keeps reusing the same few buffers and the rest are never written.
/// </summary>
public sealed class EvidenceBufferPool
{
    private readonly Lock _gate = new();
    private readonly Stack<(byte[] Plate, byte[] Overview)> _free;
    private long _exhausted;

    public EvidenceBufferPool(int plateBytes, int overviewBytes, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _free = new Stack<(byte[], byte[])>(capacity);
        for (int i = 0; i < capacity; i++)
            _free.Push((GC.AllocateUninitializedArray<byte>(plateBytes), GC.AllocateUninitializedArray<byte>(overviewBytes)));
    }

    public int Capacity { get; }
    public long Exhausted => Interlocked.Read(ref _exhausted);

    public bool TryRent(out byte[] plate, out byte[] overview)
    {
        lock (_gate)
        {
            if (_free.TryPop(out var pair))
            {
                (plate, overview) = pair;
                return true;
            }
        }
        Interlocked.Increment(ref _exhausted);
        plate = overview = [];
        return false;
    }

    public void Return(byte[] plate, byte[] overview)
    {
        lock (_gate) _free.Push((plate, overview));
    }
}
