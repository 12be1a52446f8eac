namespace EdgeAgent.SampleGen.Rendering;

/// <summary>
/// The damage of a heavily compressed camera stream, made the way JPEG makes it: 8x8 DCT blocks of
/// luma quantised with the standard table, chroma averaged over 2x2. Applied to a region around a
/// plate only (a full 1080p frame would cost ~100 ms); the block grid is the frame's, so blocks
/// stay put from frame to frame as they would in a real stream.
/// </summary>
internal static class JpegArtifacts
{
    private static readonly int[] LumaTable =
    [
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
        14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
    ];

    private static readonly double[] Cos = BuildCos();

    /// <param name="quality">1..100 as in libjpeg; 10-30 gives visible blocking and ringing.</param>
    public static void Apply(Bgr24Frame frame, PixelRect region, int quality)
    {
        region = AlignTo(region, 8).Intersect(new PixelRect(0, 0, frame.Width / 8 * 8, frame.Height / 8 * 8));
        if (region.IsEmpty)
        {
            return;
        }

        int scale = quality < 50 ? 5000 / quality : 200 - (2 * quality);
        Span<double> q = stackalloc double[64];
        for (int i = 0; i < 64; i++)
        {
            q[i] = Math.Clamp(((LumaTable[i] * scale) + 50) / 100, 1, 255);
        }

        Span<double> y = stackalloc double[64];
        Span<double> tmp = stackalloc double[64];
        Span<double> cb = stackalloc double[64];
        Span<double> cr = stackalloc double[64];
        byte[] d = frame.Data;
        for (int by = region.Y; by < region.Bottom; by += 8)
        {
            for (int bx = region.X; bx < region.Right; bx += 8)
            {
                for (int j = 0; j < 8; j++)
                {
                    for (int i = 0; i < 8; i++)
                    {
                        int o = ((by + j) * frame.Stride) + ((bx + i) * 3);
                        double b = d[o], g = d[o + 1], r = d[o + 2];
                        y[(j * 8) + i] = (0.299 * r) + (0.587 * g) + (0.114 * b) - 128;
                        cb[(j * 8) + i] = (-0.168736 * r) - (0.331264 * g) + (0.5 * b);
                        cr[(j * 8) + i] = (0.5 * r) - (0.418688 * g) - (0.081312 * b);
                    }
                }

                Transform(y, tmp, inverse: false);
                for (int i = 0; i < 64; i++)
                {
                    y[i] = Math.Round(y[i] / q[i]) * q[i];
                }

                Transform(y, tmp, inverse: true);
                for (int j = 0; j < 8; j++)
                {
                    for (int i = 0; i < 8; i++)
                    {
                        // 4:2:0 chroma: the average of the 2x2 cell this pixel belongs to.
                        int c0 = ((j & ~1) * 8) + (i & ~1);
                        double u = (cb[c0] + cb[c0 + 1] + cb[c0 + 8] + cb[c0 + 9]) / 4;
                        double v = (cr[c0] + cr[c0 + 1] + cr[c0 + 8] + cr[c0 + 9]) / 4;
                        double l = y[(j * 8) + i] + 128;
                        int o = ((by + j) * frame.Stride) + ((bx + i) * 3);
                        d[o] = Bgr.Clamp(l + (1.772 * u));
                        d[o + 1] = Bgr.Clamp(l - (0.344136 * u) - (0.714136 * v));
                        d[o + 2] = Bgr.Clamp(l + (1.402 * v));
                    }
                }
            }
        }
    }

    private static PixelRect AlignTo(PixelRect r, int n)
    {
        int left = (int)Math.Floor(r.X / (double)n) * n, top = (int)Math.Floor(r.Y / (double)n) * n;
        int right = (int)Math.Ceiling(r.Right / (double)n) * n, bottom = (int)Math.Ceiling(r.Bottom / (double)n) * n;
        return PixelRect.FromBounds(Math.Max(0, left), Math.Max(0, top), right, bottom);
    }

    /// <summary>Separable orthonormal 8x8 DCT-II (or its inverse) in place.</summary>
    private static void Transform(Span<double> block, Span<double> tmp, bool inverse)
    {
        for (int pass = 0; pass < 2; pass++)
        {
            for (int a = 0; a < 8; a++)
            {
                for (int k = 0; k < 8; k++)
                {
                    double sum = 0;
                    for (int n = 0; n < 8; n++)
                    {
                        double c = inverse ? Cos[(n * 8) + k] : Cos[(k * 8) + n];
                        sum += c * (pass == 0 ? block[(a * 8) + n] : block[(n * 8) + a]);
                    }

                    if (pass == 0)
                    {
                        tmp[(a * 8) + k] = sum;
                    }
                    else
                    {
                        tmp[(k * 8) + a] = sum;
                    }
                }
            }

            tmp.CopyTo(block);
        }
    }

    private static double[] BuildCos()
    {
        var c = new double[64];
        for (int k = 0; k < 8; k++)
        {
            double s = k == 0 ? Math.Sqrt(1.0 / 8) : Math.Sqrt(2.0 / 8);
            for (int n = 0; n < 8; n++)
            {
                c[(k * 8) + n] = s * Math.Cos(Math.PI * ((2 * n) + 1) * k / 16);
            }
        }

        return c;
    }
}
