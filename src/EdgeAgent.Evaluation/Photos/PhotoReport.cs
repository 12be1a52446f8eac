using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

using EdgeAgent.Evaluation.Scoring;

namespace EdgeAgent.Evaluation.Photos;

/// <summary>The accuracy figures of a set of photos (shares in 0..1).</summary>
public sealed record AccuracyFigures(int Images, double Found, double Exact, double CharAccuracy, double MsPerImage, double CpuMsPerImage = 0)
{
    public static AccuracyFigures Of(IReadOnlyCollection<PhotoOutcome> outcomes)
    {
        if (outcomes.Count == 0) return new AccuracyFigures(0, 0, 0, 0, 0);
        double n = outcomes.Count;
        // Photos that failed to decode took no finding time: they would only pull the median down.
        double[] times = outcomes.Where(o => o.Error is null).Select(o => o.Milliseconds).Order().ToArray();
        double[] cpu = outcomes.Where(o => o.Error is null).Select(o => o.CpuMilliseconds).Order().ToArray();
        return new AccuracyFigures(outcomes.Count, outcomes.Count(o => o.Found) / n, outcomes.Count(o => o.Exact) / n,
            outcomes.Sum(o => o.CharAccuracy) / n, Median(times), Median(cpu));
    }

    public static double Median(double[] sorted) => sorted.Length == 0
        ? 0
        : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

/// <summary>Everything eval reports: overall and per-country figures, the failures, and the confusions.</summary>
public sealed class PhotoReport
{
    public PhotoReport(IReadOnlyList<PhotoOutcome> outcomes)
    {
        Outcomes = outcomes;
        Overall = AccuracyFigures.Of(outcomes);
        ByCountry = outcomes.GroupBy(o => o.Photo.Country, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => AccuracyFigures.Of(g.ToList()), StringComparer.Ordinal);
        foreach (PhotoOutcome o in outcomes)
            if (!o.Exact) Confusions.Add(o.Read, o.Photo.Plate);
    }

    public IReadOnlyList<PhotoOutcome> Outcomes { get; }
    public AccuracyFigures Overall { get; }
    public IReadOnlyDictionary<string, AccuracyFigures> ByCountry { get; }
    public ConfusionTally Confusions { get; } = new();
    public IEnumerable<PhotoOutcome> Failures => Outcomes.Where(o => o.Error is not null);

    /// <summary>The line a script greps: always the last line eval prints.</summary>
    public string SummaryLine => string.Create(CultureInfo.InvariantCulture,
        $"exact={Overall.Exact:0.000} found={Overall.Found:0.000} images={Overall.Images} ms_per_image={Overall.MsPerImage:0.0}");

    public void WriteJson(Stream stream)
    {
        var document = new JsonReport(
            Overall.Images, Overall.Found, Overall.Exact, Overall.CharAccuracy, Overall.MsPerImage, Overall.CpuMsPerImage,
            ByCountry.ToDictionary(kv => kv.Key, kv => new JsonFigures(kv.Value.Images, kv.Value.Found, kv.Value.Exact, kv.Value.CharAccuracy,
                kv.Value.MsPerImage, kv.Value.CpuMsPerImage), StringComparer.Ordinal),
            Confusions.Top(30).Select(c => new JsonConfusion(c.Expected, c.Read, c.Count)).ToList(),
            Outcomes.Select(o => new JsonImage(o.Photo.File, o.Photo.Country, o.Found, o.Exact, Math.Round(o.CharAccuracy, 4), Math.Round(o.Milliseconds, 2),
                Math.Round(o.CpuMilliseconds, 2),
                Math.Round(o.Iou, 3), o.Read, Math.Round(o.Confidence, 3), o.Candidates, o.Reads, o.Error)).ToList());
        JsonSerializer.Serialize(stream, document, EvaluationJsonContext.Default.JsonReport);
    }

    internal sealed record JsonFigures(
        [property: JsonPropertyName("images")] int Images,
        [property: JsonPropertyName("found")] double Found,
        [property: JsonPropertyName("exact")] double Exact,
        [property: JsonPropertyName("char_accuracy")] double CharAccuracy,
        [property: JsonPropertyName("ms_per_image")] double MsPerImage,
        [property: JsonPropertyName("cpu_ms_per_image")] double CpuMsPerImage);

    internal sealed record JsonConfusion(
        [property: JsonPropertyName("expected")] string Expected,
        [property: JsonPropertyName("read")] string Read,
        [property: JsonPropertyName("count")] int Count);

    internal sealed record JsonImage(
        [property: JsonPropertyName("image_file")] string File,
        [property: JsonPropertyName("country")] string Country,
        [property: JsonPropertyName("found")] bool Found,
        [property: JsonPropertyName("exact")] bool Exact,
        [property: JsonPropertyName("char_accuracy")] double CharAccuracy,
        [property: JsonPropertyName("ms")] double Milliseconds,
        [property: JsonPropertyName("cpu_ms")] double CpuMilliseconds,
        [property: JsonPropertyName("iou")] double Iou,
        [property: JsonPropertyName("read")] string? Read,
        [property: JsonPropertyName("confidence")] double Confidence,
        [property: JsonPropertyName("candidates")] int Candidates,
        [property: JsonPropertyName("reads")] int Reads,
        [property: JsonPropertyName("error")] string? Error);

    internal sealed record JsonReport(
        [property: JsonPropertyName("images")] int Images,
        [property: JsonPropertyName("found")] double Found,
        [property: JsonPropertyName("exact")] double Exact,
        [property: JsonPropertyName("char_accuracy")] double CharAccuracy,
        [property: JsonPropertyName("ms_per_image")] double MsPerImage,
        [property: JsonPropertyName("cpu_ms_per_image")] double CpuMsPerImage,
        [property: JsonPropertyName("by_country")] Dictionary<string, JsonFigures> ByCountry,
        [property: JsonPropertyName("confusions")] List<JsonConfusion> Confusions,
        [property: JsonPropertyName("per_image")] List<JsonImage> PerImage);
}

[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(PhotoReport.JsonReport))]
internal sealed partial class EvaluationJsonContext : JsonSerializerContext;
