using EdgeAgent.SampleGen.Rendering;

namespace EdgeAgent.SampleGen.Plates;

/// <summary>
/// A plate being painted, at one pixel per millimetre, in float BGRA. Floats because the effects
/// (dirt, glare, the IR look) stack several soft layers, and rounding each one to bytes would band.
/// Alpha is only the rounded corners; everything painted is opaque.
/// </summary>
internal sealed class PlateCanvas
{
    public PlateCanvas(int width, int height)
    {
        Width = width;
        Height = height;
        Pixels = new float[width * height * 4];
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>B, G, R, A per pixel, 0..255.</summary>
    public float[] Pixels { get; }

    public void Fill(Bgr c)
    {
        for (int i = 0; i < Pixels.Length; i += 4)
        {
            Pixels[i] = c.B;
            Pixels[i + 1] = c.G;
            Pixels[i + 2] = c.R;
            Pixels[i + 3] = 255f;
        }
    }

    /// <summary>Paints colour <paramref name="c"/> over pixel (x, y) with opacity <paramref name="alpha"/>.</summary>
    public void Blend(int x, int y, Bgr c, float alpha)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height || alpha <= 0f)
        {
            return;
        }

        alpha = Math.Min(alpha, 1f);
        int i = ((y * Width) + x) * 4;
        Pixels[i] += (c.B - Pixels[i]) * alpha;
        Pixels[i + 1] += (c.G - Pixels[i + 1]) * alpha;
        Pixels[i + 2] += (c.R - Pixels[i + 2]) * alpha;
    }

    /// <summary>Multiplies pixel (x, y) by a gain per channel, then adds a light (both unclamped
    /// until <see cref="ToTexture"/>, so an added highlight can burn out to white).</summary>
    public void Light(int x, int y, float gain, float add)
    {
        int i = ((y * Width) + x) * 4;
        Pixels[i] = (Pixels[i] * gain) + add;
        Pixels[i + 1] = (Pixels[i + 1] * gain) + add;
        Pixels[i + 2] = (Pixels[i + 2] * gain) + add;
    }

    public float LumaAt(int x, int y)
    {
        int i = ((y * Width) + x) * 4;
        return (0.114f * Pixels[i]) + (0.587f * Pixels[i + 1]) + (0.299f * Pixels[i + 2]);
    }

    public void SetGrey(int x, int y, float v)
    {
        int i = ((y * Width) + x) * 4;
        Pixels[i] = v;
        Pixels[i + 1] = v;
        Pixels[i + 2] = v;
    }

    /// <summary>Fills an ellipse (axis-aligned, then rotated by <paramref name="angle"/>) with a soft
    /// edge of <paramref name="feather"/> pixels; the shared primitive of dirt, stickers and glare.</summary>
    public void FillEllipse(double cx, double cy, double rx, double ry, double angle, Bgr c, float alpha, double feather)
    {
        double reach = Math.Max(rx, ry) + feather;
        double cos = Math.Cos(angle), sin = Math.Sin(angle);
        for (int y = (int)Math.Floor(cy - reach); y <= (int)Math.Ceiling(cy + reach); y++)
        {
            for (int x = (int)Math.Floor(cx - reach); x <= (int)Math.Ceiling(cx + reach); x++)
            {
                double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
                double u = ((dx * cos) + (dy * sin)) / rx;
                double v = ((-dx * sin) + (dy * cos)) / ry;
                double d = Math.Sqrt((u * u) + (v * v));
                // Distance past the rim, in pixels (approximately), mapped to a soft fall-off.
                double past = (d - 1.0) * Math.Min(rx, ry);
                double cover = feather <= 0 ? (past <= 0 ? 1 : 0) : Math.Clamp(0.5 - (past / feather), 0, 1);
                Blend(x, y, c, (float)(cover * alpha));
            }
        }
    }

    /// <summary>Cuts the rounded corners of a real plate into the alpha channel (4x4 supersampled).</summary>
    public void RoundCorners(double radius)
    {
        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                double cx = Math.Clamp(x + 0.5, radius, Width - radius);
                double cy = Math.Clamp(y + 0.5, radius, Height - radius);
                if (Math.Abs(cx - (x + 0.5)) < 1e-9 && Math.Abs(cy - (y + 0.5)) < 1e-9)
                {
                    continue; // not in a corner square
                }

                int inside = 0;
                for (int sy = 0; sy < 4; sy++)
                {
                    for (int sx = 0; sx < 4; sx++)
                    {
                        double px = x + ((sx + 0.5) / 4), py = y + ((sy + 0.5) / 4);
                        double dx = px - cx, dy = py - cy;
                        inside += (dx * dx) + (dy * dy) <= radius * radius ? 1 : 0;
                    }
                }

                Pixels[(((y * Width) + x) * 4) + 3] = 255f * inside / 16f;
            }
        }
    }

    public PlateTexture ToTexture()
    {
        var bgra = new byte[Pixels.Length];
        for (int i = 0; i < Pixels.Length; i++)
        {
            bgra[i] = Bgr.Clamp(Pixels[i]);
        }

        return new PlateTexture(Width, Height, bgra);
    }
}
