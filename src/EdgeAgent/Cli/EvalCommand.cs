using System.CommandLine;
using System.Globalization;

using EdgeAgent.Cli.Output;
using EdgeAgent.Core.Configuration;
using EdgeAgent.Evaluation.Photos;
using EdgeAgent.Hosting;
using EdgeAgent.Ocr;
using EdgeAgent.Vision;
using EdgeAgent.Vision.Native;

namespace EdgeAgent.Cli;

/// <summary>
/// eval: accuracy on labelled photos as a reproducible figure. The live loop's finder and reader run on
/// each photo of an index TSV; the figures overall and per country, the failures and the character
/// confusions are printed, and the last line is the one scripts grep.
/// </summary>
public static class EvalCommand
{
    public static Command Create(string[] settingArgs)
    {
        var index = new Option<FileInfo>("--index") { Description = "The labels: a TSV with image_file, plate_text, x, y, w, h, country", Required = true };
        var root = new Option<DirectoryInfo?>("--root") { Description = "The folder image_file is relative to (default: the index's folder)" };
        var country = new Option<string>("--country") { Description = "Plate formats tried: auto, gb, eu or us", DefaultValueFactory = _ => "auto" };
        country.AcceptOnlyFromAmong("auto", "gb", "eu", "us");
        var json = new Option<FileInfo?>("--json") { Description = "Also write the figures, per country and per image, to this JSON file" };
        var command = new Command("eval", "Measure plate finding and reading on labelled photos (found at IoU >= 0.3, exact, character accuracy, time)")
        {
            index, root, country, json,
        };
        command.SetAction((parse, _) => RunAsync(settingArgs, parse.GetValue(AgentCommands.ConfigOption), parse.GetValue(index)!,
            parse.GetValue(root), parse.GetValue(country)!, parse.GetValue(json)));
        return command;
    }

    private static async Task<int> RunAsync(string[] settingArgs, FileInfo? configFile, FileInfo index, DirectoryInfo? root, string country, FileInfo? json)
    {
        IReadOnlyList<LabelledPhoto> photos;
        PlateReaderSet readers;
        try
        {
            photos = PhotoIndex.Load(index.FullName);
            var (_, settings) = AgentCommands.LoadSettings(Settings.AgentMode.Replay, settingArgs, configFile);
            settings.Ocr.Grammar = country;
            readers = CameraPipelineFactory.CreateReaders(settings);
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException or ConfigurationProblemException or VisionException)
        {
            Console.Error.WriteLine("edgeagent: " + e.Message);
            return ExitCodes.BadConfiguration;
        }

        var output = CommandOutput.ForConsole();
        string engine = readers.Engine;
        PhotoReport report;
        using (readers)
        {
            var evaluator = new PhotoEvaluator(readers.Finder, readers.Reader, StillImage.Load);
            string folder = root?.FullName ?? index.DirectoryName ?? ".";
            // A progress bar on a terminal, a line every 10 % otherwise; one image at a time, as the live loop reads.
            report = await output.ProgressAsync("eval", progress =>
            {
                ProgressItem images = progress.Add("images", photos.Count);
                var outcomes = new List<PhotoOutcome>(photos.Count);
                foreach (LabelledPhoto photo in photos)
                {
                    outcomes.Add(evaluator.Evaluate(photo, folder));
                    images.Increment();
                }
                return Task.FromResult(new PhotoReport(outcomes));
            }).ConfigureAwait(false);
        }

        output.Line($"reader: {engine}");
        Print(output, report);
        if (json is not null)
        {
            using FileStream stream = File.Create(json.FullName);
            report.WriteJson(stream);
        }
        output.Line(report.SummaryLine);
        return ExitCodes.Ok;
    }

    private static void Print(CommandOutput output, PhotoReport report)
    {
        output.Table("accuracy", ["country", "images", "found", "exact", "char_accuracy", "ms_per_image (median)", "cpu ms (median)"],
            [.. report.ByCountry.Select(c => Row(c.Key, c.Value)), Row("all", report.Overall)]);
        foreach (PhotoOutcome failure in report.Failures)
            output.Line($"not read (counted as not found): {failure.Photo.File}: {failure.Error}");
        output.Line($"wrong characters (label>read, -missed, +extra): {report.Confusions.Summary(12)}");
    }

    private static IReadOnlyList<string> Row(string name, AccuracyFigures f) =>
    [
        name, f.Images.ToString(CultureInfo.InvariantCulture), Percent(f.Found), Percent(f.Exact), Percent(f.CharAccuracy),
        f.MsPerImage.ToString("0.0", CultureInfo.InvariantCulture), f.CpuMsPerImage.ToString("0.0", CultureInfo.InvariantCulture),
    ];

    private static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";
}
