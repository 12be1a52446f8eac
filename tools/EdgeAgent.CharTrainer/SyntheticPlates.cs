using EdgeAgent.Core.Plates;
using EdgeAgent.Vision;
using EdgeAgent.Vision.Native;

namespace EdgeAgent.CharTrainer;

/// <summary>A rendered plate in a small gray scene, the box a finder would hand the reader, and where each character is.</summary>
internal sealed record SyntheticPlate(byte[] Gray, int Width, int Height, PlateCandidate Box, string Text,
    IReadOnlyList<(float X, float Y)> CharCentres, float CharHeight, bool Inverted);

/// <summary>
/// Plates drawn from rendered glyphs the way the sample generator draws them (characters scaled to a
/// fixed height in cells, condensed when wider, DVLA spacing and group gap), then varied beyond it: other
/// fonts and proportions, margins of US and EU plates, borders, bands, stickers and dashes between the
/// groups, white, yellow, grey and inverted plates, uneven light and glare; warped (size, rotation,
/// shear) into a scene and degraded (blur, motion, noise, contrast, JPEG) as a camera would.
/// </summary>
internal sealed class SyntheticPlates(IReadOnlyList<GlyphSet> fonts, IReadOnlyList<GlyphSet> plateFonts, double usShare, int seed)
{
    private const string Letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Digits = "0123456789";
    private const string Alphabet = Letters + Digits;
    private static readonly string[] Shapes = ["LLDD LLL", "LDDD LLL", "LLL DDDL", "LLL DDDD", "DDDD LL", "LL DDDDD", "DLLL DDD", "LLL DDD", "LL DDD LL"];

    // The common US shapes (California DLLLDDD, Texas/Arizona LLL DDDD, Missouri's mixed LLD LDL, ...).
    private static readonly string[] UsShapes = ["DLLLDDD", "DLLL DDD", "LLL DDDD", "LLLDDDD", "LLL DDD", "DDD LLL", "LLD LDL", "LLD DLL", "DDD DDDD", "LLL DDDL", "DLL DDDD", "LL DDDDD"];
    private readonly Random _rng = new(seed);

    public SyntheticPlate Next()
    {
        if (plateFonts.Count > 0 && _rng.NextDouble() < usShare)
        {
            GlyphSet face = plateFonts[_rng.Next(plateFonts.Count)];
            GlyphSet label = _rng.NextDouble() < 0.5 ? face : fonts[_rng.Next(fonts.Count)];
            string us = NextUsText();
            return Place(PlateCanvas.DrawUs(face, label, us, _rng), us.Replace(" ", "", StringComparison.Ordinal));
        }
        GlyphSet font = fonts[_rng.Next(fonts.Count)];
        string display = NextText();
        var canvas = PlateCanvas.Draw(font, display, _rng, ukStyle: font == fonts[0] && _rng.NextDouble() < 0.7);
        return Place(canvas, display.Replace(" ", "", StringComparison.Ordinal));
    }

    // Half registration-shaped (the formats the grammar knows), half uniform random characters so that
    // every class is seen equally often.
    private string NextText() => RandomText(Shapes, 0.5, 9);

    // US plates: more of them in the common US shapes, and no more than seven characters.
    private string NextUsText() => RandomText(UsShapes, 0.6, 8);

    // A registration of one of the shapes (share shapeShare) or maxLength - 1 characters at most of any kind,
    // the latter split once in six of ten.
    private string RandomText(string[] shapes, double shapeShare, int maxLength)
    {
        if (_rng.NextDouble() < shapeShare)
        {
            string shape = shapes[_rng.Next(shapes.Length)];
            return string.Concat(shape.Select(c => c switch
            {
                'L' => Letters[_rng.Next(Letters.Length)],
                'D' => Digits[_rng.Next(Digits.Length)],
                _ => ' ',
            }));
        }
        int length = _rng.Next(5, maxLength);
        var chars = new char[length];
        for (int i = 0; i < length; i++) chars[i] = Alphabet[_rng.Next(Alphabet.Length)];
        string text = new(chars);
        return _rng.NextDouble() < 0.6 ? text.Insert(_rng.Next(2, length - 1), " ") : text;
    }

    private SyntheticPlate Place(PlateCanvas plate, string text)
    {
        double plateHeightPx = Math.Exp(Lerp(Math.Log(15), Math.Log(90), _rng.NextDouble()));
        double s = plateHeightPx / plate.Height;
        double angle = (_rng.NextDouble() - 0.5) * 20;   // degrees
        double shear = (_rng.NextDouble() - 0.5) * 0.3;
        double stretch = 1 + ((_rng.NextDouble() - 0.5) * 0.25);
        int width = (int)((plate.Width * s * stretch * 1.3) + (plateHeightPx * 2)) + 16;
        int height = (int)(plateHeightPx * 3) + 16;
        var gray = new byte[width * height];
        double cx = width / 2.0, cy = height / 2.0;
        double cos = Math.Cos(angle * Math.PI / 180), sin = Math.Sin(angle * Math.PI / 180);
        float scene = (float)Lerp(15, 230, _rng.NextDouble());
        float sceneGrad = (float)((_rng.NextDouble() - 0.5) * 80);
        const int ss = 3;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                float sum = 0;
                for (int j = 0; j < ss; j++)
                {
                    for (int i = 0; i < ss; i++)
                    {
                        // Output pixel -> plate millimetres: undo the translation, rotation, shear and scale.
                        double ox = x + ((i + 0.5) / ss) - cx, oy = y + ((j + 0.5) / ss) - cy;
                        double rx = (cos * ox) + (sin * oy), ry = (-sin * ox) + (cos * oy);
                        double py = ry / s, px = ((rx / s) - (shear * py)) / stretch;
                        float v = plate.Sample(px + (plate.Width / 2.0), py + (plate.Height / 2.0));
                        sum += float.IsNaN(v) ? scene + (sceneGrad * (y / (float)height)) : v;
                    }
                }
                gray[(y * width) + x] = (byte)Math.Clamp(sum / (ss * ss), 0, 255);
            }
        }
        CharTraining.Degrade(gray, width, height, width, NextDegradation(plateHeightPx));

        // The box a finder gives: the plate's own outline, or the text row grown the way the finder grows it.
        bool fromText = _rng.NextDouble() < 0.5;
        double boxH = fromText ? plate.TextHeight * s / 0.72 : plateHeightPx;
        double boxW = fromText ? (plate.TextWidth * s * stretch) + (0.3 * boxH) : plate.Width * s * stretch;
        var box = new PlateCandidate
        {
            CenterX = (float)(cx + ((_rng.NextDouble() - 0.5) * 0.2 * boxH)),
            CenterY = (float)(cy + ((_rng.NextDouble() - 0.5) * 0.2 * boxH)),
            Width = (float)(boxW * Lerp(0.9, 1.15, _rng.NextDouble())),
            Height = (float)(boxH * Lerp(0.85, 1.2, _rng.NextDouble())),
            AngleDegrees = (float)(angle + ((_rng.NextDouble() - 0.5) * 6)),
            Score = 1,
            DarkOnLight = 1,
        };
        // Plate millimetres -> scene pixels: the forward of the mapping sampled above.
        var centres = plate.CharCentres.Select(c =>
        {
            double px = c.X - (plate.Width / 2.0), py = c.Y - (plate.Height / 2.0);
            double rx = s * ((stretch * px) + (shear * py)), ry = s * py;
            return ((float)((cos * rx) - (sin * ry) + cx), (float)((sin * rx) + (cos * ry) + cy));
        }).ToList();
        return new SyntheticPlate(gray, width, height, box, text, centres, (float)(plate.TextHeight * s), plate.Inverted);
    }

    private DegradeParams NextDegradation(double plateHeightPx)
    {
        double scale = plateHeightPx / 40;
        var p = DegradeParams.None;
        p.BlurSigma = (float)(_rng.NextDouble() * 1.3 * Math.Min(1.5, scale));
        if (_rng.NextDouble() < 0.2)
        {
            p.MotionLength = (float)(_rng.NextDouble() * 5 * scale);
            p.MotionAngle = (float)(_rng.NextDouble() * 180);
        }
        p.Contrast = (float)Lerp(0.35, 1.2, _rng.NextDouble());
        p.Brightness = (float)((_rng.NextDouble() - 0.5) * 60);
        p.Gamma = (float)Math.Exp((_rng.NextDouble() - 0.5) * 0.9);
        p.NoiseSigma = (float)(_rng.NextDouble() * 12);
        p.JpegQuality = _rng.NextDouble() < 0.3 ? _rng.Next(12, 70) : 0;
        p.Seed = (ulong)_rng.NextInt64();
        return p;
    }

    private static double Lerp(double a, double b, double t) => a + ((b - a) * t);
}
