using System.CommandLine;
using System.Globalization;

using Microsoft.Extensions.DependencyInjection;

using Spectre.Console;

using EdgeAgent.Core.Plates;
using EdgeAgent.Core.Reads;
using EdgeAgent.Core.Tracking;
using EdgeAgent.Evaluation.Passes;
using EdgeAgent.Hosting;

namespace EdgeAgent.Cli;

/// <summary>
/// replay --truth: scores the vehicle passes a replay emits against the sample generator's truth sidecar
/// (found, read exactly, phantoms, duplicates, per condition and layout, the character confusions and the
/// confidence calibration). The reads are compared in memory as the tracker emits them; only counts and
/// single characters are printed, never a registration.
/// </summary>
public static class ReplayTruth
{
    public static Option<FileInfo?> CreateOption() => new("--truth")
    {
        Description = "Score the passes against a truth sidecar (<video>.truth.tsv from tools/EdgeAgent.SampleGen; <video>.boxes.tsv beside it is used too)",
    };

    public static Option<bool> CreateSweepOption() => new("--sweep")
    {
        Description = "With --truth: keep the frames' reads in memory and re-score them with a grid of Tracking settings (one line each)",
    };

    /// <summary>Runs the replay (given the hook to install before the host starts), then prints the score.</summary>
    public static async Task<int> RunAsync(FileInfo? truthFile, bool sweep, Func<Action<IServiceProvider>?, Task<int>> replay)
    {
        if (truthFile is null) return await replay(null).ConfigureAwait(false);
        PassTruth truth;
        try
        {
            truth = PassTruth.Load(truthFile.FullName);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or IOException)
        {
            await Console.Error.WriteLineAsync("edgeagent: " + e.Message).ConfigureAwait(false);
            return ExitCodes.BadConfiguration;
        }
        var scorer = new PassScorer(truth);
        TrackerSweep? tap = sweep ? new TrackerSweep() : null;
        int exitCode = await replay(services =>
        {
            services.GetRequiredService<ReadRecorder>().Observed = pass => scorer.Add(Observe(pass));
            if (tap is not null) services.GetRequiredService<CameraPipelineFactory>().TrackerTap = tap;
        }).ConfigureAwait(false);
        Print(scorer.Score());
        if (tap is not null)
        {
            Console.WriteLine($"tracker settings re-scored on the {tap.Frames} frames' reads:");
            foreach (TrackerOptions options in TrackerSweep.Grid())
                Console.WriteLine($"  {TrackerSweep.Describe(options)}: {tap.Run(options, truth).SummaryLine}");
        }
        return exitCode;
    }

    private static ObservedPass Observe(VehiclePass pass) =>
        new(pass.Text, pass.FirstFrame, pass.LastFrame, pass.BestFrame, pass.BestBox.Bounds, pass.Confidence, pass.Observations,
            pass.MatchesGrammar);

    private static void Print(PassReport report)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        var table = new Table().AddColumns("group", "passes", "found", "exact");
        foreach (var (group, passes, found, exact) in report.ByLayout) table.AddRow(group, N(passes), Share(found, passes), Share(exact, passes));
        foreach (var (group, passes, found, exact) in report.ByCondition) table.AddRow(group, N(passes), Share(found, passes), Share(exact, passes));
        table.AddRow("all", N(report.Passes), Share(report.Found, report.Passes), Share(report.Exact, report.Passes));
        console.Write(table);
        Console.WriteLine($"emitted {report.Emitted} passes: {report.Phantoms} phantoms (no vehicle), {report.Duplicates} duplicates (a vehicle read twice)");
        foreach (PhantomDetail p in report.PhantomDetails)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  phantom frames {p.FirstFrame}-{p.LastFrame} (best {p.BestFrame} at {p.BestBox.X},{p.BestBox.Y} {p.BestBox.Width}x{p.BestBox.Height}): seen in {p.Observations} frames, confidence {p.Confidence:0.00}, {p.Length} characters{(p.MatchesGrammar ? "" : ", no format")}; nearest vehicle {p.NearestPass + 1} {p.FramesAway} frames away, {p.EditDistance} edits from its plate"));
        }
        for (int i = 0; i < report.Outcomes.Count; i++)
        {
            PassOutcome o = report.Outcomes[i];
            if (!o.Exact) Console.WriteLine("  miss: " + o.DescribeMiss(i));
            if (o.Passes > 1) Console.WriteLine("  duplicate: " + o.DescribeDuplicate(i));
        }
        Console.WriteLine("confidence calibration (passes in the bin: share read exactly): " + string.Join(", ",
            report.Calibration.Where(b => b.Passes > 0).Select(b => string.Create(CultureInfo.InvariantCulture,
                $"[{b.Low:0.00},{b.High:0.00}) {b.Passes}: {b.ExactShare:P0}"))));
        Console.WriteLine($"wrong characters (truth>read, -missed, +extra): {report.Confusions.Summary(12)}");
        Console.WriteLine(report.SummaryLine);
    }

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Share(int n, int of) => of == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{100.0 * n / of:0.0} %");
}
