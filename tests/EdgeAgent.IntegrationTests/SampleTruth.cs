using EdgeAgent.TestSupport;

namespace EdgeAgent.IntegrationTests;

/// <summary>The ground truth beside a sample video: one row per vehicle pass, plate text first.</summary>
public sealed record TruthRow(string Plate, long FirstFrame, long LastFrame);

public static class SampleTruth
{
    public static string BundledSample => Path.Combine(RepoPaths.Samples, "uk-traffic.mp4");

    public static IReadOnlyList<TruthRow> Load(string video)
    {
        string path = video + ".truth.tsv";
        return File.ReadLines(path).Skip(1).Where(l => l.Trim().Length > 0).Select(line =>
        {
            string[] cells = line.Split('\t');
            return new TruthRow(cells[0], long.Parse(cells[1], System.Globalization.CultureInfo.InvariantCulture),
                long.Parse(cells[2], System.Globalization.CultureInfo.InvariantCulture));
        }).ToArray();
    }

    /// <summary>The ways a registration could be written into a file or payload: as is, lower case, spaced.</summary>
    public static IEnumerable<string> Spellings(string plate)
    {
        yield return plate;
        yield return plate.ToLowerInvariant();
        if (plate.Length > 4)
        {
            string spaced = plate[..^3] + " " + plate[^3..];
            yield return spaced;
            yield return spaced.ToLowerInvariant();
        }
    }

    /// <summary>
    /// Whether text holds the spelling as a word of its own (no letter or digit either side). A short
    /// dateless plate (AC3) is otherwise found inside any random identifier: a read's ULID held it once.
    /// </summary>
    public static bool Mentions(string text, string spelling)
    {
        for (int at = text.IndexOf(spelling, StringComparison.Ordinal); at >= 0; at = text.IndexOf(spelling, at + 1, StringComparison.Ordinal))
        {
            int end = at + spelling.Length;
            if ((at == 0 || !char.IsAsciiLetterOrDigit(text[at - 1])) && (end == text.Length || !char.IsAsciiLetterOrDigit(text[end])))
                return true;
        }
        return false;
    }
}
