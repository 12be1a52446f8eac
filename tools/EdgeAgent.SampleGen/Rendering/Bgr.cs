namespace EdgeAgent.SampleGen.Rendering;

/// <summary>One 8-bit colour in the byte order of the raw frames handed to ffmpeg (bgr24).</summary>
internal readonly record struct Bgr(byte B, byte G, byte R)
{
    public static readonly Bgr Black = new(0, 0, 0);
    public static readonly Bgr White = new(255, 255, 255);

    /// <summary>From the usual 0xRRGGBB notation, so colours can be read against a colour chart.</summary>
    public static Bgr Hex(int rgb) => new((byte)(rgb & 0xFF), (byte)((rgb >> 8) & 0xFF), (byte)((rgb >> 16) & 0xFF));

    public static Bgr Grey(double v) => new(Clamp(v), Clamp(v), Clamp(v));

    public double Luma => (0.114 * B) + (0.587 * G) + (0.299 * R);

    public Bgr Scale(double k) => new(Clamp(B * k), Clamp(G * k), Clamp(R * k));

    public static Bgr Lerp(Bgr a, Bgr b, double t) =>
        new(Clamp(a.B + ((b.B - a.B) * t)), Clamp(a.G + ((b.G - a.G) * t)), Clamp(a.R + ((b.R - a.R) * t)));

    public static byte Clamp(double v) => v <= 0 ? (byte)0 : v >= 255 ? (byte)255 : (byte)(v + 0.5);
}
