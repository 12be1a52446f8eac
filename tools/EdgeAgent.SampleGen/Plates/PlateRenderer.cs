using EdgeAgent.SampleGen.Rendering;

namespace EdgeAgent.SampleGen.Plates;

/// <summary>How one physical plate looks, apart from its characters.</summary>
internal sealed record PlateStyle(PlateSide Side, bool UkBand, bool Border);

/// <summary>Where one character was painted, in plate millimetres (for effects that target one).</summary>
internal readonly record struct CharBox(double X, double Y, double Width, double Height);

/// <summary>
/// Lays out a registration the way the DVLA specifies (BS AU 145e): a 520 x 111 mm plate,
/// characters 79 mm tall in 50 mm cells, 11 mm between characters, 33 mm between the two groups,
/// black on white at the front and on yellow at the rear.
/// </summary>
internal static class PlateRenderer
{
    public const int WidthMm = 520;
    public const int HeightMm = 111;
    public const double CharHeightMm = 79;
    public const double CharCellMm = 50;
    public const double CharSpacingMm = 11;
    public const double GroupGapMm = 33;
    public const double BandWidthMm = 50;
    public const double CornerRadiusMm = 9;

    public static readonly Bgr FrontWhite = Bgr.Hex(0xF4F5F2);
    public static readonly Bgr RearYellow = Bgr.Hex(0xF7D117);
    public static readonly Bgr Ink = Bgr.Hex(0x0E0E0E);
    private static readonly Bgr BandBlue = Bgr.Hex(0x00339A);

    public static Bgr Background(PlateSide side) => side == PlateSide.Front ? FrontWhite : RearYellow;

    public static PlateCanvas Render(GlyphAtlas atlas, PlateText plate, PlateStyle style, List<CharBox> charBoxes)
    {
        var canvas = new PlateCanvas(WidthMm, HeightMm);
        canvas.Fill(Background(style.Side));

        double left = 0;
        if (style.UkBand)
        {
            FillRect(canvas, 0, 0, BandWidthMm, HeightMm, BandBlue);
            // The national identifier: white 'UK' low in the band, well under character height so a
            // reader that takes it for registration characters is making a real-world mistake.
            DrawGlyph(canvas, atlas['U'], 8, 70, 16, 26, Bgr.White);
            DrawGlyph(canvas, atlas['K'], 26, 70, 16, 26, Bgr.White);
            left = BandWidthMm;
        }

        string[] groups = plate.Display.Split(' ');
        int chars = 0;
        foreach (string g in groups)
        {
            chars += g.Length;
        }

        double textWidth = (chars * CharCellMm) + ((chars - groups.Length) * CharSpacingMm) + ((groups.Length - 1) * GroupGapMm);
        double x = left + ((WidthMm - left - textWidth) / 2);
        double top = (HeightMm - CharHeightMm) / 2;
        for (int gi = 0; gi < groups.Length; gi++)
        {
            foreach (char c in groups[gi])
            {
                Glyph glyph = atlas[c];
                // Scale the ink to the character height; a glyph wider than the 50 mm cell is
                // condensed to fit (the DVLA face is narrower than any Debian font), a narrow one
                // ('1', 'I') keeps its width and is centred in its cell.
                double w = Math.Min(CharCellMm, glyph.Width * CharHeightMm / glyph.Height);
                double gx = x + ((CharCellMm - w) / 2);
                DrawGlyph(canvas, glyph, gx, top, w, CharHeightMm, Ink);
                charBoxes.Add(new CharBox(gx, top, w, CharHeightMm));
                x += CharCellMm + CharSpacingMm;
            }

            x += GroupGapMm - CharSpacingMm;
        }

        if (style.Border)
        {
            const double inset = 4, line = 2.5;
            FillRect(canvas, inset, inset, WidthMm - (2 * inset), line, Ink);
            FillRect(canvas, inset, HeightMm - inset - line, WidthMm - (2 * inset), line, Ink);
            FillRect(canvas, inset, inset, line, HeightMm - (2 * inset), Ink);
            FillRect(canvas, WidthMm - inset - line, inset, line, HeightMm - (2 * inset), Ink);
        }

        canvas.RoundCorners(CornerRadiusMm);
        return canvas;
    }

    /// <summary>Paints a glyph stretched into the box (x, y, w, h), 4x4 supersampled: the atlas glyph
    /// is about twice the size drawn here, and single bilinear taps would alias its strokes.</summary>
    private static void DrawGlyph(PlateCanvas canvas, Glyph glyph, double x, double y, double w, double h, Bgr colour)
    {
        const int ss = 4;
        double sx = glyph.Width / w, sy = glyph.Height / h;
        for (int py = (int)Math.Floor(y); py < (int)Math.Ceiling(y + h); py++)
        {
            for (int px = (int)Math.Floor(x); px < (int)Math.Ceiling(x + w); px++)
            {
                float sum = 0;
                for (int j = 0; j < ss; j++)
                {
                    double gy = (py + ((j + 0.5) / ss) - y) * sy;
                    for (int i = 0; i < ss; i++)
                    {
                        double gx = (px + ((i + 0.5) / ss) - x) * sx;
                        sum += glyph.Sample(gx, gy);
                    }
                }

                canvas.Blend(px, py, colour, sum / (ss * ss));
            }
        }
    }

    /// <summary>Fills a rectangle in millimetres with exact coverage at its fractional edges.</summary>
    private static void FillRect(PlateCanvas canvas, double x, double y, double w, double h, Bgr colour)
    {
        for (int py = (int)Math.Floor(y); py < (int)Math.Ceiling(y + h); py++)
        {
            double cy = Math.Min(py + 1, y + h) - Math.Max(py, y);
            for (int px = (int)Math.Floor(x); px < (int)Math.Ceiling(x + w); px++)
            {
                double cx = Math.Min(px + 1, x + w) - Math.Max(px, x);
                canvas.Blend(px, py, colour, (float)(cx * cy));
            }
        }
    }
}
