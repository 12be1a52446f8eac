using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Ports;
using EdgeAgent.Core.Reads;
using EdgeAgent.Vision.Native;

namespace EdgeAgent.Vision.Redaction;

/// <summary>How much of a frame is copied for evidence.</summary>
public sealed record EvidenceCaptureOptions
{
    /// <summary>Width of the overview copy (the frame shrunk, aspect kept); never more than the frame's.</summary>
    public int OverviewWidth { get; init; } = 960;
    /// <summary>Largest plate crop kept (bigger crops are shrunk to fit).</summary>
    public int CropMaxWidth { get; init; } = 480;
    public int CropMaxHeight { get; init; } = 240;
    /// <summary>Context kept around the plate's box: this share of its width each side, and of its height above and below.</summary>
    public float CropMarginX { get; init; } = 0.15f;
    public float CropMarginY { get; init; } = 0.5f;
    /// <summary>
    /// Snapshots that may exist at once (emitted passes whose images wait for, or are in, redaction); beyond
    /// that a pass goes without evidence. Set it to the evidence queue's length plus two.
    /// </summary>
    public int MaxSnapshots { get; init; } = 10;
}

/// <summary>
/// The evidence hook of the frame loop: per tracker slot, a crop buffer and an overview buffer allocated
/// once, up front; when a track's best read improves, one bridge call copies the plate region and a shrunken frame
/// into them (no managed allocation). When the pass is emitted the slot's copy goes into rented buffers
/// (<see cref="EvidenceSnapshot"/>), so the slot is free for the next vehicle at once.
/// </summary>
public sealed unsafe class FrameEvidenceCapture : IEvidenceCapture
{
    private readonly EvidenceCaptureOptions _options;
    // All made at construction, uninitialised: the tracker fills its lowest free slot first, so a slot's pages
    // become resident at its first capture and resident memory follows the most vehicles seen at once, not the
    // tracker's limit of 16; no slot is allocated on the frame loop.
    private readonly Slot[] _slots;
    private readonly int _overviewWidth, _overviewHeight;
    private readonly float _overviewScale;
    private readonly EvidenceBufferPool _snapshots;

    public FrameEvidenceCapture(int slots, int frameWidth, int frameHeight, EvidenceCaptureOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slots);
        RedactNative.EnsureLoaded();
        _options = options ?? new EvidenceCaptureOptions();
        _overviewWidth = Math.Min(frameWidth, _options.OverviewWidth);
        _overviewScale = (float)_overviewWidth / frameWidth;
        _overviewHeight = Math.Max(1, (int)Math.Round(frameHeight * _overviewScale));
        FrameWidth = frameWidth;
        FrameHeight = frameHeight;
        int cropBytes = _options.CropMaxWidth * _options.CropMaxHeight * 3, overviewBytes = _overviewWidth * _overviewHeight * 3;
        _slots = new Slot[slots];
        for (int i = 0; i < slots; i++) _slots[i] = new Slot(cropBytes, overviewBytes);
        _snapshots = new EvidenceBufferPool(cropBytes, overviewBytes, Math.Max(1, _options.MaxSnapshots));
    }

    public int FrameWidth { get; }
    public int FrameHeight { get; }

    /// <summary>Captures made (on the frame loop), for the bench and health.</summary>
    public long Captures { get; private set; }

    /// <summary>Passes that went without evidence because every snapshot buffer was in use (redaction behind).</summary>
    public long SnapshotsDropped => _snapshots.Exhausted;

    public void Capture(int slot, Frame frame, in PlateCandidate box)
    {
        if ((uint)slot >= (uint)_slots.Length || frame.Width != FrameWidth || frame.Height != FrameHeight) return;
        Slot s = _slots[slot];
        int marginX = (int)(box.BoundsWidth * _options.CropMarginX), marginY = (int)(box.BoundsHeight * _options.CropMarginY);
        int x = Math.Max(0, box.X - marginX), y = Math.Max(0, box.Y - marginY);
        int w = Math.Min(frame.Width, box.X + box.BoundsWidth + marginX) - x, h = Math.Min(frame.Height, box.Y + box.BoundsHeight + marginY) - y;
        if (w <= 0 || h <= 0) return;
        int cropWidth, cropHeight;
        fixed (byte* bgr = frame.Bgr)
        fixed (byte* crop = s.Crop)
        fixed (byte* overview = s.Overview)
        {
            VisionNative.Check(RedactInterop.ea_evidence_capture(bgr, frame.Width, frame.Height, frame.BgrStride, x, y, w, h,
                crop, _options.CropMaxWidth, _options.CropMaxHeight, out cropWidth, out cropHeight, overview, _overviewWidth, _overviewHeight),
                "ea_evidence_capture");
        }
        s.FrameIndex = frame.Index;
        s.CapturedAt = frame.CapturedAt;
        s.CropWidth = cropWidth;
        s.CropHeight = cropHeight;
        s.CropOriginX = x;
        s.CropOriginY = y;
        s.CropScale = (float)cropWidth / w;
        s.Plate = box.Bounds;
        Captures++;
    }

    public EvidenceSnapshot? Take(int slot, long bestFrame)
    {
        if ((uint)slot >= (uint)_slots.Length) return null;
        Slot s = _slots[slot];
        if (s.FrameIndex != bestFrame || s.CropWidth == 0) return null;
        s.FrameIndex = -1;   // taken (or given up): the next vehicle in this slot starts afresh
        if (!_snapshots.TryRent(out byte[] plate, out byte[] overview)) return null;
        // The crop buffer's rows are CropMaxWidth wide; the snapshot packs them tightly.
        int cropRow = s.CropWidth * 3;
        for (int row = 0; row < s.CropHeight; row++)
            s.Crop.AsSpan(row * _options.CropMaxWidth * 3, cropRow).CopyTo(plate.AsSpan(row * cropRow));
        s.Overview.AsSpan(0, _overviewWidth * _overviewHeight * 3).CopyTo(overview);
        return new EvidenceSnapshot(
            new EvidenceImage(plate, s.CropWidth, s.CropHeight, s.CropOriginX, s.CropOriginY, s.CropScale),
            new EvidenceImage(overview, _overviewWidth, _overviewHeight, 0, 0, _overviewScale),
            bestFrame, s.CapturedAt, s.Plate, _snapshots);
    }

    private sealed class Slot(int cropBytes, int overviewBytes)
    {
        // Pinned: the bridge writes into them on the frame loop, and `fixed` on a pinned array costs nothing.
        public readonly byte[] Crop = GC.AllocateUninitializedArray<byte>(cropBytes, pinned: true);
        public readonly byte[] Overview = GC.AllocateUninitializedArray<byte>(overviewBytes, pinned: true);
        public long FrameIndex = -1;
        public DateTimeOffset CapturedAt;
        public int CropWidth, CropHeight, CropOriginX, CropOriginY;
        public float CropScale = 1;
        public BoxI Plate;
    }
}
