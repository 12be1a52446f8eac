using System.Globalization;

namespace EdgeAgent.CharTrainer;

/// <summary>The command line, parsed by hand like the sample generator's.</summary>
internal sealed record TrainerOptions
{
    public const string Usage = """
        EdgeAgent.CharTrainer: trains the plate character classifier (OpenCV ml, a multi-layer perceptron on
        HOG and pixel features) from rendered glyphs and from labelled photos' character crops.

        Usage: EdgeAgent.CharTrainer [options]
          --out PATH           the model to write (default models/plate-chars.yml.gz)
          --dev INDEX          labelled photos (plates-dev/index.tsv format) to learn real fonts from
          --dev-root DIR       the folder their image_file is relative to (default: the index's folder)
          --folds N            split the photos into N folds by file name (default 1: use them all)
          --holdout K          leave fold K out of training (with --folds)
          --holdout-index PATH write the held-out photos' index, to evaluate the model on them
          --plates N           synthetic plates rendered (default 6000)
          --augment K          degraded, jittered copies of each photo's plate (default 8)
          --hidden H           hidden units of the network (default 128)
          --iterations I       passes over the samples in training (default 16)
          --seed S             every random choice derives from it (default 1)
          --fonts A,B,...      TrueType fonts; the first is the sample generator's
                               (default DejaVu Sans Condensed Bold, Sans Bold, Sans Condensed, Sans, Sans Mono Bold)
          --us-share F         share of the rendered plates drawn US-style in --plate-fonts (default 0.33; 0 for none)
          --plate-fonts A,B,.. condensed plate-like faces for the US-style plates (default Open DIN, Bebas Neue
                               Regular and Bold, Routed Gothic Narrow, Roboto Condensed Regular and Bold,
                               Nimbus Sans Narrow Regular and Bold, Open Sans Condensed Bold; Debian packages
                               fonts-opendin fonts-bebas-neue fonts-routed-gothic fonts-roboto-unhinted
                               fonts-urw-base35 fonts-open-sans)
          --ffmpeg PATH        ffmpeg executable (default ffmpeg on PATH)
          --preview DIR        write the first 40 rendered plates to DIR as PGM images and stop
          --dump PREFIX        also write each round's samples to PREFIX-N.f32 (features) and PREFIX-N.i32 (classes)
          -h, --help           this text
        """;

    private const string DejaVu = "/usr/share/fonts/truetype/dejavu/";

    public string Out { get; init; } = "models/plate-chars.yml.gz";
    public string? Dev { get; init; }
    public string? DevRoot { get; init; }
    public int Folds { get; init; } = 1;
    public int Holdout { get; init; }
    public string? HoldoutIndex { get; init; }
    public int Plates { get; init; } = 6000;
    public int Augment { get; init; } = 8;
    public int Hidden { get; init; } = 128;
    public int Iterations { get; init; } = 16;
    public int Seed { get; init; } = 1;
    public IReadOnlyList<string> Fonts { get; init; } =
    [
        DejaVu + "DejaVuSansCondensed-Bold.ttf", DejaVu + "DejaVuSans-Bold.ttf", DejaVu + "DejaVuSansCondensed.ttf",
        DejaVu + "DejaVuSans.ttf", DejaVu + "DejaVuSansMono-Bold.ttf",
    ];
    public double UsShare { get; init; } = 0.33;
    public IReadOnlyList<string> PlateFonts { get; init; } =
    [
        "/usr/share/fonts/truetype/opendin/OSP-DIN.ttf",
        "/usr/share/fonts/opentype/bebas-neue/BebasNeue-Regular.otf",
        "/usr/share/fonts/opentype/bebas-neue/BebasNeue-Bold.otf",
        "/usr/share/fonts/truetype/routed-gothic/routed-gothic-narrow.ttf",
        "/usr/share/fonts/truetype/roboto/unhinted/RobotoCondensed-Regular.ttf",
        "/usr/share/fonts/truetype/roboto/unhinted/RobotoCondensed-Bold.ttf",
        "/usr/share/fonts/opentype/urw-base35/NimbusSansNarrow-Regular.otf",
        "/usr/share/fonts/opentype/urw-base35/NimbusSansNarrow-Bold.otf",
        "/usr/share/fonts/truetype/open-sans/OpenSans-CondBold.ttf",
    ];
    public string Ffmpeg { get; init; } = "ffmpeg";
    public string? Dump { get; init; }
    public string? Preview { get; init; }
    public bool Help { get; init; }

    public static TrainerOptions Parse(IReadOnlyList<string> args)
    {
        var o = new TrainerOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{a} needs a value");
            o = a switch
            {
                "--out" => o with { Out = Value() },
                "--dev" => o with { Dev = Value() },
                "--dev-root" => o with { DevRoot = Value() },
                "--folds" => o with { Folds = Positive(a, Value()) },
                "--holdout" => o with { Holdout = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--holdout-index" => o with { HoldoutIndex = Value() },
                "--plates" => o with { Plates = Positive(a, Value()) },
                "--augment" => o with { Augment = Positive(a, Value()) },
                "--hidden" => o with { Hidden = Positive(a, Value()) },
                "--iterations" => o with { Iterations = Positive(a, Value()) },
                "--seed" => o with { Seed = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--fonts" => o with { Fonts = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--us-share" => o with { UsShare = Share(a, Value()) },
                "--plate-fonts" => o with { PlateFonts = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--ffmpeg" => o with { Ffmpeg = Value() },
                "--dump" => o with { Dump = Value() },
                "--preview" => o with { Preview = Value() },
                "-h" or "--help" => o with { Help = true },
                _ => throw new ArgumentException($"unknown option '{a}'"),
            };
        }
        if (o.Folds > 1 && (o.Holdout < 0 || o.Holdout >= o.Folds)) throw new ArgumentException($"--holdout must be 0..{o.Folds - 1}");
        if (o.HoldoutIndex is not null && o.Folds <= 1) throw new ArgumentException("--holdout-index needs --folds N (N >= 2)");
        return o;
    }

    private static double Share(string name, string value)
    {
        double d = double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
        return d is >= 0 and <= 1 ? d : throw new ArgumentException($"{name} must be between 0 and 1");
    }

    private static int Positive(string name, string value)
    {
        int n = int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);
        return n > 0 ? n : throw new ArgumentException($"{name} must be positive");
    }
}
