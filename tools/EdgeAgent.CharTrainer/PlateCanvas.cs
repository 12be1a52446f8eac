namespace EdgeAgent.CharTrainer;

/// <summary>
/// One plate painted in gray at 1 px per millimetre. UK style follows the sample generator (79 mm
/// characters in 50 mm cells, condensed when wider, 11 mm apart, 33 mm between groups); otherwise the
/// proportions, margins and extras vary the way US and European plates do.
/// </summary>
internal sealed partial class PlateCanvas
{
    private readonly float[] _pixels;

    private PlateCanvas(int width, int height)
    {
        Width = width;
        Height = height;
        _pixels = new float[width * height];
    }

    public int Width { get; }
    public int Height { get; }
    public double TextHeight { get; private set; }
    public double TextWidth { get; private set; }

    /// <summary>Light characters on a dark plate.</summary>
    public bool Inverted { get; private set; }

    /// <summary>Where each character's centre was painted, in plate millimetres, left to right.</summary>
    public List<(double X, double Y)> CharCentres { get; } = [];

    /// <summary>Bilinear gray at a point in millimetres; NaN off the plate.</summary>
    public float Sample(double x, double y)
    {
        if (x < 0 || y < 0 || x >= Width || y >= Height) return float.NaN;
        int x0 = Math.Min((int)x, Width - 2), y0 = Math.Min((int)y, Height - 2);
        float tx = (float)(x - x0), ty = (float)(y - y0);
        float a = _pixels[(y0 * Width) + x0], b = _pixels[(y0 * Width) + x0 + 1];
        float c = _pixels[((y0 + 1) * Width) + x0], d = _pixels[((y0 + 1) * Width) + x0 + 1];
        return a + ((b - a) * tx) + ((c - a) * ty) + ((a - b - c + d) * tx * ty);
    }

    public static PlateCanvas Draw(GlyphSet font, string display, Random rng, bool ukStyle)
    {
        double charH = ukStyle ? 79 : 60 + (rng.NextDouble() * 25);
        double cell = ukStyle ? 50 : charH * (0.5 + (rng.NextDouble() * 0.25));
        double spacing = ukStyle ? 11 : charH * (0.06 + (rng.NextDouble() * 0.14));
        double groupGap = ukStyle ? 33 : charH * (0.2 + (rng.NextDouble() * 0.5));
        double widthScale = ukStyle ? 1 : 0.8 + (rng.NextDouble() * 0.35);
        bool band = rng.NextDouble() < 0.3;
        double bandW = band ? charH * 0.6 : 0;
        double side = ukStyle ? 20 : charH * (0.15 + (rng.NextDouble() * 0.4));
        double top = ukStyle ? 16 : charH * (0.1 + (rng.NextDouble() * 0.5));
        double bottom = ukStyle ? 16 : charH * (0.1 + (rng.NextDouble() * 0.5));

        // Character widths first, to size the plate.
        var widths = new List<double>();
        foreach (char c in display)
        {
            if (c == ' ') continue;
            Glyph g = font[c];
            double natural = g.Width * charH / g.Height * widthScale;
            widths.Add(ukStyle ? Math.Min(cell, natural) : natural);
        }
        double textW = 0;
        int groups = display.Split(' ').Length;
        textW += (ukStyle ? widths.Count * cell : widths.Sum()) + ((widths.Count - groups) * spacing) + ((groups - 1) * groupGap);
        int width = (int)Math.Ceiling(textW + (2 * side) + bandW);
        int height = (int)Math.Ceiling(charH + top + bottom);
        var canvas = new PlateCanvas(width, height) { TextHeight = charH, TextWidth = textW };

        bool inverted = rng.NextDouble() < 0.08;
        float ground = (float)(140 + (rng.NextDouble() * 110));
        float ink = (float)(rng.NextDouble() * Math.Min(100, ground - 70));
        if (inverted) (ground, ink) = (ink + 20, ground);
        canvas.Inverted = inverted;
        float gradient = (float)((rng.NextDouble() - 0.5) * 0.5);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                canvas._pixels[(y * width) + x] = ground * (1 + (gradient * ((x / (float)width) - 0.5f)));
        if (rng.NextDouble() < 0.12) canvas.Glare(rng);
        if (band) canvas.Fill(0, 0, bandW, height, (float)(30 + (rng.NextDouble() * 60)));

        double x0 = bandW + side, y0 = top;
        int wi = 0;
        for (int gi = 0; gi < groups; gi++)
        {
            string group = display.Split(' ')[gi];
            foreach (char c in group)
            {
                double w = widths[wi++];
                double slot = ukStyle ? cell : w;
                canvas.DrawGlyph(font[c], x0 + ((slot - w) / 2), y0, w, charH, ink);
                canvas.CharCentres.Add((x0 + (slot / 2), y0 + (charH / 2)));
                x0 += slot + spacing;
            }
            x0 += groupGap - spacing;
            if (gi < groups - 1) canvas.Separator(rng, x0 - groupGap + spacing, groupGap - (2 * spacing), y0, charH, ink);
        }
        if (rng.NextDouble() < 0.3) canvas.Border(rng, ink);
        if (rng.NextDouble() < 0.15) canvas.SmallText(font, rng, bandW + side, width - side, top, bottom, charH, ink);
        return canvas;
    }

    private void DrawGlyph(Glyph glyph, double x, double y, double w, double h, float ink)
    {
        const int ss = 3;
        double sx = glyph.Width / w, sy = glyph.Height / h;
        for (int py = Math.Max(0, (int)Math.Floor(y)); py < Math.Min(Height, (int)Math.Ceiling(y + h)); py++)
        {
            for (int px = Math.Max(0, (int)Math.Floor(x)); px < Math.Min(Width, (int)Math.Ceiling(x + w)); px++)
            {
                float sum = 0;
                for (int j = 0; j < ss; j++)
                    for (int i = 0; i < ss; i++)
                        sum += glyph.Sample((px + ((i + 0.5) / ss) - x) * sx, (py + ((j + 0.5) / ss) - y) * sy);
                float a = sum / (ss * ss);
                ref float p = ref _pixels[(py * Width) + px];
                p = (p * (1 - a)) + (ink * a);
            }
        }
    }

    private void Fill(double x, double y, double w, double h, float value)
    {
        for (int py = Math.Max(0, (int)y); py < Math.Min(Height, (int)(y + h)); py++)
            for (int px = Math.Max(0, (int)x); px < Math.Min(Width, (int)(x + w)); px++)
                _pixels[(py * Width) + px] = value;
    }

    // What sits between the groups on real plates: a sticker or emblem, a dash, or nothing.
    private void Separator(Random rng, double x, double w, double y, double charH, float ink)
    {
        double roll = rng.NextDouble();
        if (w < 4 || roll > 0.3) return;
        if (roll < 0.12)
        {
            double size = charH * (0.3 + (rng.NextDouble() * 0.35));
            Fill(x + ((w - (size * 0.8)) / 2), y + ((charH - size) / 2), size * 0.8, size, (float)(rng.NextDouble() * 255));
        }
        else
        {
            Fill(x + (w * 0.2), y + (charH * 0.45), w * 0.6, charH * 0.09, ink);
        }
    }

    private void Border(Random rng, float ink)
    {
        double inset = 2 + (rng.NextDouble() * 4), line = 1.5 + (rng.NextDouble() * 2.5);
        Fill(inset, inset, Width - (2 * inset), line, ink);
        Fill(inset, Height - inset - line, Width - (2 * inset), line, ink);
        Fill(inset, inset, line, Height - (2 * inset), ink);
        Fill(Width - inset - line, inset, line, Height - (2 * inset), ink);
    }

    // A state name or a dealer's line above or below the registration, in small characters.
    private void SmallText(GlyphSet font, Random rng, double left, double right, double top, double bottom, double charH, float ink)
    {
        bool above = rng.NextDouble() < 0.5;
        double room = above ? top : bottom;
        double h = Math.Min(room * 0.7, charH * 0.25);
        if (h < 4) return;
        double y = above ? (top - h) / 2 : Height - bottom + ((bottom - h) / 2);
        double x = left + ((right - left) * 0.2);
        while (x < right - ((right - left) * 0.2))
        {
            Glyph g = font[GlyphSet.Characters[rng.Next(26)]];
            double w = g.Width * h / g.Height;
            DrawGlyph(g, x, y, w, h, ink);
            x += w * 1.15;
        }
    }

    private void Glare(Random rng)
    {
        double gx = rng.NextDouble() * Width, gy = rng.NextDouble() * Height, r = Height * (0.3 + rng.NextDouble());
        float strength = (float)(40 + (rng.NextDouble() * 80));
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
            {
                double d2 = (((x - gx) * (x - gx)) + ((y - gy) * (y - gy))) / (r * r);
                _pixels[(y * Width) + x] += strength * (float)Math.Exp(-d2);
            }
    }
}
