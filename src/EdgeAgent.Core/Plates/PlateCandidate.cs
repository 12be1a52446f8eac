using System.Runtime.InteropServices;

namespace EdgeAgent.Core.Plates;

/// <summary>
/// A place in a frame that looks like a plate: a rotated rectangle (centre, size, angle) plus its
/// axis-aligned bounds. The layout is the native bridge's <c>ea_plate_box</c>, so finders fill arrays of
/// these directly; do not reorder the fields.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct PlateCandidate
{
    public float CenterX;
    public float CenterY;
    public float Width;
    public float Height;
    public float AngleDegrees;
    public int X;
    public int Y;
    public int BoundsWidth;
    public int BoundsHeight;
    /// <summary>0..1: how plate-like the finder judged it.</summary>
    public float Score;
    /// <summary>1 when the characters are darker than the plate (white and yellow plates).</summary>
    public int DarkOnLight;
    /// <summary>Character-like blobs the finder counted inside.</summary>
    public int CharCount;

    public readonly BoxI Bounds => new(X, Y, BoundsWidth, BoundsHeight);
}

/// <summary>An axis-aligned integer box.</summary>
public readonly record struct BoxI(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;
    public int Bottom => Y + Height;
    public int Area => Width * Height;
    public float CenterX => X + Width / 2f;
    public float CenterY => Y + Height / 2f;

    public float IntersectionOverUnion(BoxI other)
    {
        int w = Math.Min(Right, other.Right) - Math.Max(X, other.X);
        int h = Math.Min(Bottom, other.Bottom) - Math.Max(Y, other.Y);
        if (w <= 0 || h <= 0) return 0;
        float inter = (float)w * h;
        return inter / (Area + other.Area - inter);
    }

    /// <summary>The intersection over the smaller box's area: 1 when one box holds the other.</summary>
    public float IntersectionOverSmaller(BoxI other)
    {
        int w = Math.Min(Right, other.Right) - Math.Max(X, other.X);
        int h = Math.Min(Bottom, other.Bottom) - Math.Max(Y, other.Y);
        int smaller = Math.Min(Area, other.Area);
        return w <= 0 || h <= 0 || smaller <= 0 ? 0 : (float)w * h / smaller;
    }
}
