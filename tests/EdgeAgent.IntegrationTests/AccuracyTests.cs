using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

using EdgeAgent.TestSupport;

namespace EdgeAgent.IntegrationTests;

/// <summary>A test that needs the shared labelled photos: skipped, saying why, on a machine without them.</summary>
public sealed class PlatesDevFactAttribute : FactAttribute
{
    public PlatesDevFactAttribute()
    {
        if (!File.Exists(Path.Combine(RepoPaths.PlatesDev, "index.tsv")))
            Skip = $"plates-dev is not at {RepoPaths.PlatesDev}: it is external data (not a service), so this figure is checked only where it exists";
    }
}

/// <summary>
/// The accuracy figures as the commands report them: `edgeagent eval` on labelled photos and
/// `edgeagent replay --truth` on a generated hard set, through the real agent process.
/// </summary>
[Trait("Category", "Integration")]
public partial class AccuracyTests
{
    [GeneratedRegex(@"^exact=(?<exact>\d\.\d{3}) found=(?<found>\d\.\d{3}) images=(?<images>\d+) ms_per_image=\d+\.\d$")]
    private static partial Regex EvalSummary();

    [GeneratedRegex(@"^passes=(?<passes>\d+) found=(?<found>\d\.\d{3}) exact=(?<exact>\d\.\d{3}) phantoms=(?<phantoms>\d+) phantom_share=\d\.\d{3} duplicates=\d+$")]
    private static partial Regex ReplaySummary();

    private static Match LastLine(AgentRun run, Regex pattern)
    {
        string last = run.Output.TrimEnd().Split('\n')[^1].Trim();
        Match m = pattern.Match(last);
        Assert.True(m.Success, $"last line '{last}' is not the summary:\n{run}");
        return m;
    }

    private static double Value(Match m, string group) => double.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    [Fact]
    public async Task Eval_RenderedPhotosAndABrokenOne_ReportsTheFiguresAndNamesTheBadImage()
    {
        using var dir = new TempDirectory();
        string[] plates = ["AB12 CDE", "XY68 ZZT", "A123 BCD", "KX67 PJD"];
        var index = new List<string> { "image_file\tplate_text\tx\ty\tw\th\tcountry" };
        for (int i = 0; i < plates.Length; i++)
        {
            var plate = new ScenePlate(plates[i], 300 + (i * 60), 250 + (i * 20), 50 + (i * 6), Ground: i % 2 == 0 ? "0xF7D117" : "0xF4F5F2");
            PlateScene.Render(dir.File($"p{i}.png"), 960, 540, [plate], new SceneLook(RotateDegrees: (i * 4) - 6, Noise: 5));
            var (cx, cy) = PlateScene.Rotated(plate.CenterX, plate.CenterY, 960, 540, (i * 4) - 6);
            int w = (int)(plate.Height * 5.4), h = plate.Height;
            index.Add(string.Create(CultureInfo.InvariantCulture, $"p{i}.png\t{plates[i].Replace(" ", "", StringComparison.Ordinal)}\t{(int)cx - (w / 2)}\t{(int)cy - (h / 2)}\t{w}\t{h}\tGB"));
        }
        await File.WriteAllBytesAsync(dir.File("broken.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]);
        index.Add("broken.jpg\tAB12CDE\t10\t10\t100\t20\tGB");
        await File.WriteAllLinesAsync(dir.File("index.tsv"), index);

        AgentRun run = await AgentProcess.RunAsync(["eval", "--index", dir.File("index.tsv"), "--country", "gb", "--json", dir.File("eval.json")],
            TimeSpan.FromMinutes(3));
        Assert.True(run.ExitCode == 0, run.ToString());
        Match summary = LastLine(run, EvalSummary());
        Assert.Equal("5", summary.Groups["images"].Value);
        Assert.Equal(0.8, Value(summary, "found"), 3);     // every plate but the broken file's
        Assert.Equal(0.8, Value(summary, "exact"), 3);
        Assert.Contains("broken.jpg", run.Output, StringComparison.Ordinal);

        using JsonDocument json = JsonDocument.Parse(await File.ReadAllTextAsync(dir.File("eval.json")));
        JsonElement gb = json.RootElement.GetProperty("by_country").GetProperty("GB");
        Assert.Equal(5, gb.GetProperty("images").GetInt32());
        Assert.Equal(0.8, gb.GetProperty("exact").GetDouble(), 3);
        JsonElement broken = json.RootElement.GetProperty("per_image").EnumerateArray().Single(e => e.GetProperty("image_file").GetString() == "broken.jpg");
        Assert.False(broken.GetProperty("found").GetBoolean());
        Assert.Contains("broken.jpg", broken.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_MissingIndexOrBadColumn_ExitsTwoWithTheFix()
    {
        using var dir = new TempDirectory();
        AgentRun missing = await AgentProcess.RunAsync(["eval", "--index", dir.File("none.tsv")], TimeSpan.FromMinutes(1));
        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Contains("--index", missing.Errors, StringComparison.Ordinal);

        await File.WriteAllTextAsync(dir.File("bad.tsv"), "image_file\tplate_text\tx\ty\tw\th\tcountry\na.jpg\tAB12CDE\t1\t2\twide\t4\tGB\n");
        AgentRun bad = await AgentProcess.RunAsync(["eval", "--index", dir.File("bad.tsv")], TimeSpan.FromMinutes(1));
        Assert.True(bad.ExitCode == 2, bad.ToString());
        Assert.Contains("line 2: w 'wide' is not a whole number", bad.Errors, StringComparison.Ordinal);
    }

    // Measured with the committed model (README "Accuracy"); a little below, so that a regression fails
    // and noise does not. The figures are deterministic for a model and a build.
    private const double DevMinFound = 0.96;   // measured 0.976
    private const double DevMinExact = 0.90;   // measured 0.921 (the shipped model, trained on these photos)

    [PlatesDevFact]
    public async Task Eval_PlatesDev_MeetsTheMeasuredFigures()
    {
        AgentRun run = await AgentProcess.RunAsync(["eval", "--index", Path.Combine(RepoPaths.PlatesDev, "index.tsv")], TimeSpan.FromMinutes(6));
        Assert.True(run.ExitCode == 0, run.ToString());
        Match summary = LastLine(run, EvalSummary());
        Assert.Equal("165", summary.Groups["images"].Value);
        Assert.True(Value(summary, "found") >= DevMinFound, run.Output);
        Assert.True(Value(summary, "exact") >= DevMinExact, run.Output);
    }

    // A small hard set made here from a fixed seed: every condition of the 200-pass figure, in CI time.
    // A regression guard a little below what the shipped model measures here (30 of 30 exact, 30 found, no
    // phantom), not the issue's target (98 %, phantoms under 1 %): README "Accuracy" gives the 200-pass figure.
    private const int HardPasses = 30;
    private const double HardMinExact = 0.90;
    private const int HardMaxPhantoms = 1;
    private const int HardStills = 12;
    private const double StillsMinFound = 0.9;
    private const double StillsMinExact = 0.8;

    [Fact]
    public async Task ReplayTruth_GeneratedHardSet_ReadsNearlyEveryPassWithoutPhantomsOrRegistrations()
    {
        using var dir = new TempDirectory();
        string video = dir.File("hard.mp4");
        await SampleGenerator.RunAsync(["--hard", "--passes", HardPasses.ToString(CultureInfo.InvariantCulture), "--seed", "23", "--out", video,
            "--stills", HardStills.ToString(CultureInfo.InvariantCulture)]);

        AgentRun run = await AgentProcess.RunAsync(["replay", video, "--truth", video + ".truth.tsv", $"--Storage:Path={dir.File("outbox.db")}"],
            TimeSpan.FromMinutes(10));
        Assert.True(run.ExitCode == 0, run.ToString());
        Match summary = LastLine(run, ReplaySummary());
        Assert.Equal(HardPasses, int.Parse(summary.Groups["passes"].Value, CultureInfo.InvariantCulture));
        Assert.True(Value(summary, "exact") >= HardMinExact, run.Output);
        Assert.True(int.Parse(summary.Groups["phantoms"].Value, CultureInfo.InvariantCulture) <= HardMaxPhantoms, run.Output);
        // The scoring compares in memory and prints characters, never a registration.
        foreach (TruthRow truth in SampleTruth.Load(video))
            foreach (string spelling in SampleTruth.Spellings(truth.Plate))
                Assert.False(SampleTruth.Mentions(run.Output + run.Errors, spelling), $"'{spelling}' printed:\n{run}");

        // The same video's stills (full 1920x1080 frames, one whole plate each) through eval: the photo path
        // on camera frames. A regression guard below what it measures here.
        AgentRun stills = await AgentProcess.RunAsync(["eval", "--index", video + ".stills/index.tsv", "--country", "gb"], TimeSpan.FromMinutes(2));
        Assert.True(stills.ExitCode == 0, stills.ToString());
        Match still = LastLine(stills, EvalSummary());
        Assert.Equal(HardStills, int.Parse(still.Groups["images"].Value, CultureInfo.InvariantCulture));
        Assert.True(Value(still, "found") >= StillsMinFound, stills.Output);
        Assert.True(Value(still, "exact") >= StillsMinExact, stills.Output);
    }

    [Fact]
    public async Task ReplayTruth_MissingSidecar_ExitsTwoNamingIt()
    {
        using var dir = new TempDirectory();
        AgentRun run = await AgentProcess.RunAsync(["replay", SampleTruth.BundledSample, "--truth", dir.File("nope.truth.tsv"),
            $"--Storage:Path={dir.File("outbox.db")}"], TimeSpan.FromMinutes(1));
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("nope.truth.tsv", run.Errors, StringComparison.Ordinal);
    }
}
