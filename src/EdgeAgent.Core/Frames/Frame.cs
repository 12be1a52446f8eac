using System.Runtime.InteropServices;

namespace EdgeAgent.Core.Frames;

/// <summary>
/// One slot of the frame ring: a BGR image and its gray copy in pinned arrays that are allocated once,
/// at start, and reused for every frame. Stages read them as spans or hand their addresses to native code.
/// </summary>
public sealed class Frame
{
    public Frame(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Width = width;
        Height = height;
        // Pinned so that native code can write into them without a GCHandle per call.
        Bgr = GC.AllocateUninitializedArray<byte>(width * height * 3, pinned: true);
        Gray = GC.AllocateUninitializedArray<byte>(width * height, pinned: true);
    }

    public int Width { get; }
    public int Height { get; }
    public int BgrStride => Width * 3;
    public int GrayStride => Width;
    public byte[] Bgr { get; }
    public byte[] Gray { get; }

    /// <summary>0-based index of the frame in its source.</summary>
    public long Index { get; set; }

    /// <summary>When the frame was captured (wall clock of the box, or the video's start plus its timestamp).</summary>
    public DateTimeOffset CapturedAt { get; set; }

    /// <summary>The source's own timestamp of the frame, in milliseconds from the start of the stream.</summary>
    public double StreamTimeMs { get; set; }

    /// <summary>The frame's slot in its <see cref="FrameRing"/>.</summary>
    internal int RingSlot { get; init; }

    public GrayImage GrayImage => new(Gray, Width, Height, GrayStride);
}

/// <summary>A read-only view of an 8-bit gray image.</summary>
[StructLayout(LayoutKind.Auto)]
public readonly ref struct GrayImage(ReadOnlySpan<byte> pixels, int width, int height, int stride)
{
    public ReadOnlySpan<byte> Pixels { get; } = pixels;
    public int Width { get; } = width;
    public int Height { get; } = height;
    public int Stride { get; } = stride;
}
