using EdgeAgent.SampleGen.Output;

namespace EdgeAgent.SampleGen.Plates;

/// <summary>The ink of one character, cropped to its bounding box, as coverage in [0, 1].</summary>
internal sealed class Glyph(int width, int height, float[] coverage)
{
    public int Width { get; } = width;

    public int Height { get; } = height;

    /// <summary>Bilinear coverage at a point in glyph pixels (pixel centres at +0.5); 0 outside.</summary>
    public float Sample(double x, double y)
    {
        double fx = x - 0.5;
        double fy = y - 0.5;
        int x0 = (int)Math.Floor(fx);
        int y0 = (int)Math.Floor(fy);
        float tx = (float)(fx - x0);
        float ty = (float)(fy - y0);
        float a = At(x0, y0);
        float b = At(x0 + 1, y0);
        float c = At(x0, y0 + 1);
        float d = At(x0 + 1, y0 + 1);
        float top = a + ((b - a) * tx);
        float bottom = c + ((d - c) * tx);
        return top + ((bottom - top) * ty);
    }

    private float At(int x, int y) =>
        (uint)x < (uint)Width && (uint)y < (uint)Height ? coverage[(y * Width) + x] : 0f;
}

/// <summary>
/// Every plate character rendered once by ffmpeg's drawtext (FreeType) into one grey image, then
/// cropped per glyph. One ffmpeg call per run instead of one per plate, and the plates are then
/// composed in managed code from glyphs at about twice the resolution they are drawn at.
/// </summary>
internal sealed class GlyphAtlas
{
    public const string Characters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const int CellWidth = 256;
    private const int CellHeight = 320;
    private const int Columns = 6;
    private const int FontSize = 220;

    private readonly Dictionary<char, Glyph> _glyphs;

    private GlyphAtlas(Dictionary<char, Glyph> glyphs) => _glyphs = glyphs;

    public Glyph this[char c] => _glyphs.TryGetValue(c, out Glyph? g)
        ? g
        : throw new ArgumentOutOfRangeException(nameof(c), c, "no glyph for this character");

    public static GlyphAtlas Render(Ffmpeg ffmpeg, string fontPath)
    {
        if (!File.Exists(fontPath))
        {
            throw new FileNotFoundException(
                $"font not found: {fontPath} (Debian package fonts-dejavu-extra, or pass --font)", fontPath);
        }

        int rows = (Characters.Length + Columns - 1) / Columns;
        int width = Columns * CellWidth;
        int height = rows * CellHeight;
        var filters = new List<string>();
        for (int i = 0; i < Characters.Length; i++)
        {
            int x = ((i % Columns) * CellWidth) + 40;
            int y = ((i / Columns) * CellHeight) + 40;
            // The font path goes through the filter-graph parser: escape its quote and colon.
            string font = fontPath.Replace("\\", "\\\\", StringComparison.Ordinal)
                .Replace("'", "\\'", StringComparison.Ordinal).Replace(":", "\\:", StringComparison.Ordinal);
            filters.Add($"drawtext=fontfile='{font}':text={Characters[i]}:fontsize={FontSize}:fontcolor=white:x={x}:y={y}");
        }

        byte[] grey = ffmpeg.RunForBytes(
        [
            "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", $"color=c=black:s={width}x{height}:d=1",
            "-vf", string.Join(',', filters), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-",
        ], width * height);

        var glyphs = new Dictionary<char, Glyph>();
        for (int i = 0; i < Characters.Length; i++)
        {
            glyphs[Characters[i]] = Crop(grey, width, (i % Columns) * CellWidth, (i / Columns) * CellHeight, Characters[i]);
        }

        return new GlyphAtlas(glyphs);
    }

    private static Glyph Crop(byte[] grey, int stride, int cellX, int cellY, char c)
    {
        const byte inkThreshold = 6;
        int minX = int.MaxValue, minY = int.MaxValue, maxX = -1, maxY = -1;
        for (int y = 0; y < CellHeight; y++)
        {
            for (int x = 0; x < CellWidth; x++)
            {
                if (grey[((cellY + y) * stride) + cellX + x] > inkThreshold)
                {
                    minX = Math.Min(minX, x);
                    maxX = Math.Max(maxX, x);
                    minY = Math.Min(minY, y);
                    maxY = Math.Max(maxY, y);
                }
            }
        }

        if (maxX < 0)
        {
            throw new InvalidOperationException($"ffmpeg drew no ink for '{c}': is the font usable by drawtext?");
        }

        if (minX == 0 || minY == 0 || maxX == CellWidth - 1 || maxY == CellHeight - 1)
        {
            throw new InvalidOperationException($"glyph '{c}' touches its atlas cell: the font is larger than expected");
        }

        int w = maxX - minX + 1;
        int h = maxY - minY + 1;
        var coverage = new float[w * h];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                coverage[(y * w) + x] = grey[((cellY + minY + y) * stride) + cellX + minX + x] / 255f;
            }
        }

        return new Glyph(w, h, coverage);
    }
}
