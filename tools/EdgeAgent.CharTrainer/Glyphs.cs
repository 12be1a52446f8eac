using System.Diagnostics;

namespace EdgeAgent.CharTrainer;

/// <summary>The ink of one character, cropped to its bounding box, as coverage in [0, 1].</summary>
internal sealed class Glyph(int width, int height, float[] coverage)
{
    public int Width { get; } = width;
    public int Height { get; } = height;

    /// <summary>Bilinear coverage at a point in glyph pixels; 0 outside.</summary>
    public float Sample(double x, double y)
    {
        double fx = x - 0.5, fy = y - 0.5;
        int x0 = (int)Math.Floor(fx), y0 = (int)Math.Floor(fy);
        float tx = (float)(fx - x0), ty = (float)(fy - y0);
        float a = At(x0, y0), b = At(x0 + 1, y0), c = At(x0, y0 + 1), d = At(x0 + 1, y0 + 1);
        float top = a + ((b - a) * tx), bottom = c + ((d - c) * tx);
        return top + ((bottom - top) * ty);
    }

    private float At(int x, int y) => (uint)x < (uint)Width && (uint)y < (uint)Height ? coverage[(y * Width) + x] : 0f;
}

/// <summary>
/// Every plate character of one font, drawn once by ffmpeg's drawtext (FreeType) into a grey atlas and
/// cropped per glyph: the way tools/EdgeAgent.SampleGen draws the synthetic plates' characters.
/// </summary>
internal sealed class GlyphSet
{
    public const string Characters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const int CellWidth = 256, CellHeight = 320, Columns = 6, FontSize = 220;
    private readonly Dictionary<char, Glyph> _glyphs;

    private GlyphSet(string font, Dictionary<char, Glyph> glyphs)
    {
        Font = font;
        _glyphs = glyphs;
    }

    public string Font { get; }
    public Glyph this[char c] => _glyphs[c];

    public static GlyphSet Render(string ffmpeg, string fontPath)
    {
        if (!File.Exists(fontPath))
            throw new FileNotFoundException($"font not found: {fontPath} (install it: apt-get install {PackageOf(fontPath)}; or name other fonts with --fonts / --plate-fonts)", fontPath);
        int rows = (Characters.Length + Columns - 1) / Columns;
        int width = Columns * CellWidth, height = rows * CellHeight;
        string font = fontPath.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)
            .Replace(":", "\\:", StringComparison.Ordinal);
        var filters = new List<string>();
        for (int i = 0; i < Characters.Length; i++)
        {
            int x = ((i % Columns) * CellWidth) + 40, y = ((i / Columns) * CellHeight) + 40;
            filters.Add($"drawtext=fontfile='{font}':text={Characters[i]}:fontsize={FontSize}:fontcolor=white:x={x}:y={y}");
        }
        byte[] grey = RunFfmpeg(ffmpeg,
        [
            "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", $"color=c=black:s={width}x{height}:d=1",
            "-vf", string.Join(',', filters), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-",
        ], width * height);
        var glyphs = new Dictionary<char, Glyph>();
        for (int i = 0; i < Characters.Length; i++)
            glyphs[Characters[i]] = Crop(grey, width, (i % Columns) * CellWidth, (i / Columns) * CellHeight, Characters[i], fontPath);
        return new GlyphSet(Path.GetFileNameWithoutExtension(fontPath), glyphs);
    }

    // The Debian package that puts a default font where the trainer looks for it.
    private static string PackageOf(string fontPath) => Path.GetFileName(Path.GetDirectoryName(fontPath) ?? "") switch
    {
        "dejavu" => "fonts-dejavu-core fonts-dejavu-extra",
        "opendin" => "fonts-opendin",
        "bebas-neue" => "fonts-bebas-neue",
        "routed-gothic" => "fonts-routed-gothic",
        "unhinted" => "fonts-roboto-unhinted",
        "urw-base35" => "fonts-urw-base35",
        "open-sans" => "fonts-open-sans",
        "liberation" => "fonts-liberation",
        "freefont" => "fonts-freefont-ttf",
        _ => "the package that has this font",
    };

    private static Glyph Crop(byte[] grey, int stride, int cellX, int cellY, char c, string font)
    {
        int minX = int.MaxValue, minY = int.MaxValue, maxX = -1, maxY = -1;
        for (int y = 0; y < CellHeight; y++)
            for (int x = 0; x < CellWidth; x++)
                if (grey[((cellY + y) * stride) + cellX + x] > 6)
                {
                    minX = Math.Min(minX, x);
                    maxX = Math.Max(maxX, x);
                    minY = Math.Min(minY, y);
                    maxY = Math.Max(maxY, y);
                }
        if (maxX < 0) throw new InvalidOperationException($"ffmpeg drew no ink for '{c}' in {font}");
        int w = maxX - minX + 1, h = maxY - minY + 1;
        var coverage = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                coverage[(y * w) + x] = grey[((cellY + minY + y) * stride) + cellX + minX + x] / 255f;
        return new Glyph(w, h, coverage);
    }

    private static byte[] RunFfmpeg(string ffmpeg, IEnumerable<string> arguments, int expected)
    {
        var info = new ProcessStartInfo(ffmpeg) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in arguments) info.ArgumentList.Add(a);
        using Process process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {ffmpeg}");
        Task<string> errors = process.StandardError.ReadToEndAsync();
        var buffer = new byte[expected];
        int read = 0;
        Stream stdout = process.StandardOutput.BaseStream;
        while (read < expected)
        {
            int n = stdout.Read(buffer, read, expected - read);
            if (n == 0) break;
            read += n;
        }
        process.WaitForExit();
        if (process.ExitCode != 0 || read != expected)
            throw new InvalidOperationException($"ffmpeg exited with {process.ExitCode} after {read} of {expected} bytes: {errors.Result.Trim()}");
        return buffer;
    }
}
