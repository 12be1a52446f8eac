namespace EdgeAgent.SampleGen.Rendering;

/// <summary>Whole-frame and region effects applied after the scene is drawn.</summary>
internal sealed class FrameEffects
{
    private const int NoiseSlack = 1 << 16;
    private readonly sbyte[] _noise;
    private readonly SeededRandom _rng;

    /// <param name="pixels">Frame size in pixels; the noise table is that long plus slack.</param>
    public FrameEffects(int pixels, int seed)
    {
        // One table of Gaussian noise read at a random offset per frame: fresh-looking grain every
        // frame for the cost of an add, where drawing 2 million normals per frame would dominate.
        var rng = SeededRandom.Derive(seed, 0x4E015E);
        _noise = new sbyte[pixels + NoiseSlack];
        for (int i = 0; i < _noise.Length; i++)
        {
            _noise[i] = (sbyte)Math.Clamp(Math.Round(rng.Gaussian() * 6.0), -40, 40);
        }

        _rng = SeededRandom.Derive(seed, 0x4E015F);
    }

    /// <summary>
    /// Sensor noise of a camera at high gain (the IR night mode): grey, the same in B, G, R. Only
    /// over <paramref name="region"/> (around the plates): the road carries a frozen noise pattern
    /// baked into the night background, which looks the same in any one frame but costs the encoder
    /// nothing after the first. Boiling noise over the whole frame, or over whole vehicles, made the
    /// night part of the hard set ten to twenty times larger than the day part and slow to encode.
    /// </summary>
    public void SensorNoise(Bgr24Frame frame, PixelRect region)
    {
        region = region.Intersect(frame.Bounds);
        int offset = _rng.Next(NoiseSlack);
        byte[] d = frame.Data;
        for (int y = region.Y; y < region.Bottom; y++)
        {
            int n0 = offset + (y * frame.Width);
            int o = (y * frame.Stride) + (region.X * 3);
            for (int x = region.X; x < region.Right; x++, o += 3)
            {
                int n = _noise[n0 + x];
                d[o] = ClampByte(d[o] + n);
                d[o + 1] = ClampByte(d[o + 1] + n);
                d[o + 2] = ClampByte(d[o + 2] + n);
            }
        }
    }

    /// <summary>Additive light with a quadratic fall-off: a headlamp in an IR image, which blooms
    /// well past the lamp itself.</summary>
    public static void Glow(Bgr24Frame frame, double cx, double cy, double radius, double intensity, PixelRect clip)
    {
        PixelRect box = PixelRect.Enclosing(cx - radius, cy - radius, cx + radius, cy + radius).Intersect(clip).Intersect(frame.Bounds);
        float r2 = (float)(radius * radius);
        for (int y = box.Y; y < box.Bottom; y++)
        {
            float dy = (float)(y + 0.5 - cy);
            float rowLeft = r2 - (dy * dy);
            if (rowLeft <= 0)
            {
                continue;
            }

            int o = (y * frame.Stride) + (box.X * 3);
            for (int x = box.X; x < box.Right; x++, o += 3)
            {
                float dx = (float)(x + 0.5 - cx);
                float q = (rowLeft - (dx * dx)) / r2;
                if (q <= 0)
                {
                    continue;
                }

                int add = (int)(intensity * q * q);
                frame.Data[o] = ClampByte(frame.Data[o] + add);
                frame.Data[o + 1] = ClampByte(frame.Data[o + 1] + add);
                frame.Data[o + 2] = ClampByte(frame.Data[o + 2] + add);
            }
        }
    }

    private static byte ClampByte(int v) => (byte)(v < 0 ? 0 : v > 255 ? 255 : v);
}
