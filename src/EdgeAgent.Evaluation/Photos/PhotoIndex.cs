using System.Globalization;

using EdgeAgent.Core.Plates;

namespace EdgeAgent.Evaluation.Photos;

/// <summary>One labelled photo: the file (relative to the index's root), the plate, its box and country.</summary>
public sealed record LabelledPhoto(string File, string Plate, BoxI Box, string Country, int Line);

/// <summary>
/// The labels of a photo set, in the format of plates-dev/index.tsv: a header naming the columns
/// image_file, plate_text, x, y, w, h, country (in any order), then one tab-separated row per photo.
/// </summary>
public static class PhotoIndex
{
    private static readonly string[] Columns = ["image_file", "plate_text", "x", "y", "w", "h", "country"];

    /// <summary>Reads the index; throws <see cref="InvalidDataException"/> naming the line and the fix.</summary>
    public static IReadOnlyList<LabelledPhoto> Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"index {path} not found: give the TSV with --index", path);
        using var reader = new StreamReader(path);
        return Parse(reader, path);
    }

    public static IReadOnlyList<LabelledPhoto> Parse(TextReader reader, string name)
    {
        string? header = reader.ReadLine();
        if (header is null) throw new InvalidDataException($"{name} is empty: expected a header line '{string.Join('\t', Columns)}'");
        string[] names = header.TrimEnd('\r').Split('\t');
        var at = new int[Columns.Length];
        for (int c = 0; c < Columns.Length; c++)
        {
            at[c] = Array.IndexOf(names, Columns[c]);
            if (at[c] < 0)
                throw new InvalidDataException($"{name} line 1: no '{Columns[c]}' column; the header must name {string.Join(", ", Columns)} (tab-separated)");
        }

        var photos = new List<LabelledPhoto>();
        int lineNumber = 1;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            line = line.TrimEnd('\r');
            if (line.Length == 0) continue;
            string[] f = line.Split('\t');
            if (f.Length < names.Length)
                throw new InvalidDataException($"{name} line {lineNumber}: {f.Length} fields where the header has {names.Length}; separate them with tabs");
            int x = Int(f[at[2]], "x"), y = Int(f[at[3]], "y"), w = Int(f[at[4]], "w"), h = Int(f[at[5]], "h");
            if (w <= 0 || h <= 0) throw new InvalidDataException($"{name} line {lineNumber}: the box {w}x{h} is empty; w and h must be positive pixels");
            string plate = f[at[1]].Trim();
            if (plate.Length == 0) throw new InvalidDataException($"{name} line {lineNumber}: plate_text is empty");
            photos.Add(new LabelledPhoto(f[at[0]].Trim(), plate, new BoxI(x, y, w, h), f[at[6]].Trim().ToUpperInvariant(), lineNumber));

            int Int(string text, string column) =>
                int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
                    ? value
                    : throw new InvalidDataException($"{name} line {lineNumber}: {column} '{text}' is not a whole number of pixels");
        }
        return photos;
    }
}
