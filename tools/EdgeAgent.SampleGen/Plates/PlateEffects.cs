using EdgeAgent.SampleGen.Rendering;

namespace EdgeAgent.SampleGen.Plates;

/// <summary>
/// What happens to a real plate before the camera sees it, painted once per pass onto the plate
/// (so it moves, scales and skews with the plate). Each effect is bounded so a person can still
/// read every character: the sample tests a reader, it must not contain unreadable truth.
/// </summary>
internal static class PlateEffects
{
    private static readonly Bgr Grime = Bgr.Hex(0x5A4A36);
    private static readonly Bgr Mud = Bgr.Hex(0x463726);

    /// <summary>Road grime: an overall dull film, darker soft blotches, and spray spatter that
    /// collects on the lower half.</summary>
    public static void Dirt(PlateCanvas c, SeededRandom rng)
    {
        uint seed = (uint)rng.NextUInt64();
        double film = rng.Range(0.12, 0.28);
        for (int y = 0; y < c.Height; y++)
        {
            for (int x = 0; x < c.Width; x++)
            {
                // Thicker towards the bottom edge, where spray from the wheels lands.
                double n = (ValueNoise.Fractal(x / 38.0, y / 38.0, seed, 3) * 0.5) + 0.5;
                double a = film * (0.5 + (0.9 * y / c.Height)) * (0.4 + n);
                c.Blend(x, y, Grime, (float)Math.Min(a, 0.42));
            }
        }

        int blotches = rng.Next(2, 6);
        for (int i = 0; i < blotches; i++)
        {
            c.FillEllipse(rng.Range(20, c.Width - 20), rng.Range(10, c.Height - 10), rng.Range(15, 45), rng.Range(8, 22),
                rng.Range(0, Math.PI), Mud, (float)rng.Range(0.2, 0.38), rng.Range(6, 14));
        }

        int spatter = rng.Next(30, 90);
        for (int i = 0; i < spatter; i++)
        {
            double r = rng.Range(0.8, 2.6);
            c.FillEllipse(rng.Range(0, c.Width), c.Height * Math.Sqrt(rng.NextDouble()), r, r, 0, Mud, (float)rng.Range(0.35, 0.7), 0.8);
        }
    }

    /// <summary>A small object in front of part of one character: a tow-bar, a strap of a cycle
    /// rack, or a leaf or sticker. It covers at most about a third of that character.</summary>
    public static void Occlude(PlateCanvas c, IReadOnlyList<CharBox> chars, SeededRandom rng)
    {
        CharBox ch = chars[rng.Next(chars.Count)];
        switch (rng.Next(3))
        {
            case 0:
                // Tow-bar neck and ball in front of the bottom quarter of the character.
                double cx = ch.X + (ch.Width / 2) + rng.Range(-5, 5);
                double neck = ch.Width * rng.Range(0.22, 0.32);
                FillBox(c, cx - (neck / 2), ch.Y + (ch.Height * 0.86), neck, (ch.Height * 0.14) + 16, Bgr.Hex(0x26272A));
                c.FillEllipse(cx, ch.Y + (ch.Height * 0.86), ch.Width * 0.2, ch.Width * 0.2, 0, Bgr.Hex(0x3C3E42), 1f, 1.2);
                break;
            case 1:
                // A rack strap across the top of the character, slightly tilted.
                double y = ch.Y + rng.Range(2, 14);
                double tilt = rng.Range(-0.12, 0.12);
                c.FillEllipse(ch.X + (ch.Width / 2), y, ch.Width * 0.62, 4.5, tilt, Bgr.Hex(0x202022), 1f, 1.0);
                break;
            default:
                // A leaf or a parking sticker on one corner of the character.
                double corner = rng.Chance(0.5) ? ch.X : ch.X + ch.Width;
                double top = rng.Chance(0.5) ? ch.Y + 6 : ch.Y + ch.Height - 6;
                Bgr leaf = rng.Chance(0.5) ? Bgr.Hex(0x6B5A1E) : Bgr.Hex(0x3F6B2C);
                c.FillEllipse(corner, top, ch.Width * 0.36, ch.Height * 0.17, rng.Range(0, Math.PI), leaf, 0.95f, 1.2);
                break;
        }
    }

    /// <summary>Uneven light: a brightness ramp across the plate (low sun, a shadow edge) and a soft
    /// specular hotspot that washes part of it towards white without erasing the ink.</summary>
    public static void Glare(PlateCanvas c, SeededRandom rng)
    {
        double from = rng.Range(0.5, 0.8), to = rng.Range(1.0, 1.2);
        bool leftDark = rng.Chance(0.5);
        double hx = rng.Range(0.15, 0.85) * c.Width, hy = rng.Range(0.2, 0.8) * c.Height;
        double sigma = rng.Range(22, 48), peak = rng.Range(90, 150);
        for (int y = 0; y < c.Height; y++)
        {
            for (int x = 0; x < c.Width; x++)
            {
                double t = (double)x / c.Width;
                double gain = from + ((to - from) * (leftDark ? t : 1 - t));
                double dx = x - hx, dy = y - hy;
                double spot = peak * Math.Exp(-((dx * dx) + (dy * dy)) / (2 * sigma * sigma));
                c.Light(x, y, (float)gain, (float)spot);
            }
        }
    }

    /// <summary>
    /// The night look of an IR-lit ANPR camera: the plate is retroreflective, so its background
    /// comes back near white whatever its colour, while the ink and grime stay dark; grey only.
    /// </summary>
    public static void NightIr(PlateCanvas c, Bgr background)
    {
        float bg = (float)background.Luma;
        for (int y = 0; y < c.Height; y++)
        {
            for (int x = 0; x < c.Width; x++)
            {
                float reflect = Math.Clamp((c.LumaAt(x, y) - 25f) / (bg - 25f), 0f, 1.15f);
                c.SetGrey(x, y, 16f + (reflect * 226f));
            }
        }
    }

    private static void FillBox(PlateCanvas c, double x, double y, double w, double h, Bgr colour)
    {
        for (int py = (int)Math.Floor(y); py < (int)Math.Ceiling(y + h); py++)
        {
            for (int px = (int)Math.Floor(x); px < (int)Math.Ceiling(x + w); px++)
            {
                c.Blend(px, py, colour, 1f);
            }
        }
    }
}
