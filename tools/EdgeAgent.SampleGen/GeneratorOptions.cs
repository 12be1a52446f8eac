using System.Globalization;

namespace EdgeAgent.SampleGen;

/// <summary>The command line. Parsed by hand: a dozen flags do not justify a package.</summary>
internal sealed record GeneratorOptions
{
    public const string Usage = """
        EdgeAgent.SampleGen: synthetic UK roadside ANPR video with ground truth.

        Usage: EdgeAgent.SampleGen [options]
          --passes N       vehicle passes (default 24)
          --seed S         everything is drawn from this seed (default 1)
          --out PATH       output .mp4; truth goes to PATH.truth.tsv and PATH.boxes.tsv
                           (default samples/uk-traffic.mp4)
          --fps F          frames per second (default 25)
          --size WxH       frame size (default 1920x1080; plate sizes scale with the height)
          --hard           mixed hard conditions per pass: skew, motion blur, night IR, dirt,
                           occlusion, two lanes at once, glare, JPEG noise; more older layouts
          --crf N          x264 quality, lower is better and bigger (default 30; 26 with --hard)
          --preset NAME    x264 preset (default slow; superfast with --hard)
          --truth-only     write the truth files but no video (fast; same truth)
          --stills N       also write N frames of the video as PNG stills, each showing one
                           whole plate (the middle frame of a pass with no other plate in view),
                           and PATH.stills/index.tsv labelling them in the plates-dev format, for
                           `edgeagent eval` on full-size camera frames
          --ffmpeg PATH    ffmpeg executable (default ffmpeg on PATH)
          --font PATH      bold condensed TrueType font for the plates
                           (default /usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf)
          -h, --help       this text
        """;

    public int Passes { get; init; } = 24;

    public int Seed { get; init; } = 1;

    public string Out { get; init; } = "samples/uk-traffic.mp4";

    public int Fps { get; init; } = 25;

    public int Width { get; init; } = 1920;

    public int Height { get; init; } = 1080;

    public bool Hard { get; init; }

    public int? Crf { get; init; }

    public string? Preset { get; init; }

    public bool TruthOnly { get; init; }

    public int Stills { get; init; }

    public string Ffmpeg { get; init; } = "ffmpeg";

    public string Font { get; init; } = "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf";

    public bool Help { get; init; }

    // The clean sample is committed, so it is tuned for size; the hard set is big and is tuned
    // for encoding speed on a small box.
    public int EffectiveCrf => Crf ?? (Hard ? 26 : 30);

    public string EffectivePreset => Preset ?? (Hard ? "superfast" : "slow");

    public static GeneratorOptions Parse(IReadOnlyList<string> args)
    {
        var o = new GeneratorOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{a} needs a value");
            o = a switch
            {
                "--passes" => o with { Passes = PositiveInt(a, Value()) },
                "--seed" => o with { Seed = int.Parse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture) },
                "--out" => o with { Out = Value() },
                "--fps" => o with { Fps = PositiveInt(a, Value()) },
                "--size" => ParseSize(o, Value()),
                "--hard" => o with { Hard = true },
                "--crf" => o with { Crf = int.Parse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture) },
                "--preset" => o with { Preset = Value() },
                "--truth-only" => o with { TruthOnly = true },
                "--stills" => o with { Stills = PositiveInt(a, Value()) },
                "--ffmpeg" => o with { Ffmpeg = Value() },
                "--font" => o with { Font = Value() },
                "-h" or "--help" => o with { Help = true },
                _ => throw new ArgumentException($"unknown option {a}"),
            };
        }

        if (o.TruthOnly && o.Stills > 0)
        {
            throw new ArgumentException("--stills cuts its frames from the video, which --truth-only does not write");
        }

        return o;
    }

    private static GeneratorOptions ParseSize(GeneratorOptions o, string value)
    {
        string[] parts = value.Split('x', 'X');
        if (parts.Length != 2)
        {
            throw new ArgumentException($"--size wants WIDTHxHEIGHT, not {value}");
        }

        int w = PositiveInt("--size", parts[0]), h = PositiveInt("--size", parts[1]);
        if (w % 2 != 0 || h % 2 != 0 || w < 320 || h < 240)
        {
            throw new ArgumentException("--size must be even and at least 320x240 (yuv420p halves the chroma)");
        }

        return o with { Width = w, Height = h };
    }

    private static int PositiveInt(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : throw new ArgumentException($"{name} wants a positive integer, not {value}");
}
