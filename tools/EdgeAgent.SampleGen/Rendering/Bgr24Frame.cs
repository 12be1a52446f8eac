namespace EdgeAgent.SampleGen.Rendering;

/// <summary>One video frame in the layout ffmpeg reads with -pix_fmt bgr24: rows of B, G, R bytes,
/// no padding, so the whole buffer goes down the pipe in one write.</summary>
internal sealed class Bgr24Frame
{
    public Bgr24Frame(int width, int height)
    {
        Width = width;
        Height = height;
        Stride = width * 3;
        Data = new byte[Stride * height];
    }

    public int Width { get; }

    public int Height { get; }

    public int Stride { get; }

    public byte[] Data { get; }

    public PixelRect Bounds => new(0, 0, Width, Height);

    public void CopyFrom(Bgr24Frame source) => Buffer.BlockCopy(source.Data, 0, Data, 0, Data.Length);

    public void CopyRegionFrom(Bgr24Frame source, PixelRect region)
    {
        for (int y = region.Y; y < region.Bottom; y++)
        {
            int offset = (y * Stride) + (region.X * 3);
            Buffer.BlockCopy(source.Data, offset, Data, offset, region.Width * 3);
        }
    }
}
