using System.Diagnostics;
using System.Globalization;

namespace EdgeAgent.TestSupport;

/// <summary>A plate to draw: its registration, centre and height in pixels, and its ground and ink.</summary>
public sealed record ScenePlate(string Text, int CenterX, int CenterY, int Height, string Ground = "0xF7D117", string Ink = "0x101010");

/// <summary>How the whole picture is spoilt after the plates are drawn.</summary>
public sealed record SceneLook(double RotateDegrees = 0, double BlurSigma = 0, bool UnevenLight = false, int Noise = 0, string Background = "0x505860");

/// <summary>
/// Renders test pictures with real plates in them through FFmpeg's drawtext and filters (the way the sample
/// generator draws its glyphs): ground box, DejaVu Sans Condensed Bold characters in the UK proportions
/// (characters about 0.64 of the plate's height), then rotation, blur, uneven light and noise over everything.
/// </summary>
public static class PlateScene
{
    public const string Font = "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf";

    public static string Render(string path, int width, int height, IReadOnlyList<ScenePlate> plates, SceneLook? look = null)
    {
        look ??= new SceneLook();
        var filters = new List<string>();
        foreach (ScenePlate p in plates)
        {
            int w = (int)(p.Height * 5.4), h = p.Height;
            int fontSize = (int)Math.Round(p.Height * 0.88);   // DejaVu's capitals are 0.73 of the font size: 0.64 of the plate
            filters.Add(Invariant($"drawbox=x={p.CenterX - (w / 2)}:y={p.CenterY - (h / 2)}:w={w}:h={h}:color={p.Ground}:t=fill"));
            filters.Add(Invariant($"drawtext=fontfile={Font}:text='{p.Text}':fontsize={fontSize}:fontcolor={p.Ink}:x={p.CenterX}-text_w/2:y={p.CenterY}-text_h/2"));
        }
        filters.Add("format=gray");
        if (look.RotateDegrees != 0) filters.Add(Invariant($"rotate={look.RotateDegrees * Math.PI / 180:0.######}:fillcolor={look.Background}"));
        if (look.UnevenLight) filters.Add("geq=lum='lum(X,Y)*(0.45+0.75*X/W)'");
        if (look.BlurSigma > 0) filters.Add(Invariant($"gblur=sigma={look.BlurSigma:0.##}"));
        if (look.Noise > 0) filters.Add(Invariant($"noise=alls={look.Noise}:allf=t"));

        var start = new ProcessStartInfo("ffmpeg")
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[]
                 {
                     "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", Invariant($"color=c={look.Background}:s={width}x{height}"),
                     "-vf", string.Join(',', filters), "-frames:v", "1", path,
                 })
            start.ArgumentList.Add(a);
        using Process ffmpeg = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start");
        string errors = ffmpeg.StandardError.ReadToEnd();
        ffmpeg.WaitForExit();
        if (ffmpeg.ExitCode != 0) throw new InvalidOperationException($"ffmpeg could not render {path}: {errors}");
        return path;
    }

    /// <summary>Where a point of the unrotated picture lands after the picture is turned about its centre.</summary>
    public static (double X, double Y) Rotated(double x, double y, int width, int height, double degrees)
    {
        double a = degrees * Math.PI / 180, cx = width / 2.0, cy = height / 2.0;
        double dx = x - cx, dy = y - cy;
        return (cx + (dx * Math.Cos(a)) - (dy * Math.Sin(a)), cy + (dx * Math.Sin(a)) + (dy * Math.Cos(a)));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
