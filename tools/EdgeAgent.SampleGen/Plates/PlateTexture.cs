namespace EdgeAgent.SampleGen.Plates;

/// <summary>One mip level of a plate: BGRA bytes.</summary>
internal sealed class TextureLevel(int width, int height, byte[] bgra)
{
    public int Width { get; } = width;

    public int Height { get; } = height;

    public byte[] Bgra { get; } = bgra;
}

/// <summary>
/// A finished plate and its half-size copies. A plate 111 px tall is drawn 40 to 90 px tall;
/// bilinear sampling alone aliases once it shrinks more than 2x, so the warp samples the level
/// that is at most twice the drawn size (classic mipmapping, built once per pass).
/// </summary>
internal sealed class PlateTexture
{
    private readonly List<TextureLevel> _levels = [];

    public PlateTexture(int width, int height, byte[] bgra)
    {
        _levels.Add(new TextureLevel(width, height, bgra));
        while (_levels[^1].Height >= 16)
        {
            _levels.Add(Halve(_levels[^1]));
        }
    }

    public int Width => _levels[0].Width;

    public int Height => _levels[0].Height;

    /// <summary>The smallest level still at least as tall as the plate will be drawn.</summary>
    public TextureLevel LevelFor(double drawnHeight)
    {
        TextureLevel best = _levels[0];
        foreach (TextureLevel level in _levels)
        {
            if (level.Height >= drawnHeight)
            {
                best = level;
            }
        }

        return best;
    }

    private static TextureLevel Halve(TextureLevel src)
    {
        int w = Math.Max(1, src.Width / 2), h = Math.Max(1, src.Height / 2);
        var dst = new byte[w * h * 4];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                for (int c = 0; c < 4; c++)
                {
                    int a = (((2 * y) * src.Width) + (2 * x)) * 4;
                    int b = a + (src.Width * 4);
                    dst[(((y * w) + x) * 4) + c] = (byte)((src.Bgra[a + c] + src.Bgra[a + 4 + c] + src.Bgra[b + c] + src.Bgra[b + 4 + c] + 2) >> 2);
                }
            }
        }

        return new TextureLevel(w, h, dst);
    }
}
