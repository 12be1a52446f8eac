using System.Globalization;

using EdgeAgent.Core.Plates;

namespace EdgeAgent.Evaluation.Passes;

/// <summary>One vehicle pass of a truth sidecar (samples/README.md, "Truth files").</summary>
public sealed record TruthPass(string Plate, long FirstFrame, long LastFrame, BoxI Box, string Layout, string Side, string Lane,
    IReadOnlyList<string> Conditions);

/// <summary>
/// The sample generator's truth beside a video: &lt;video&gt;.truth.tsv (one row per pass) and, when present,
/// &lt;video&gt;.boxes.tsv (the plate's box in every frame it is visible), which places a read on its vehicle.
/// </summary>
public sealed class PassTruth
{
    private readonly Dictionary<long, List<(int Pass, BoxI Box)>> _boxesByFrame;

    private PassTruth(IReadOnlyList<TruthPass> passes, Dictionary<long, List<(int, BoxI)>> boxesByFrame)
    {
        Passes = passes;
        _boxesByFrame = boxesByFrame;
    }

    public IReadOnlyList<TruthPass> Passes { get; }
    public bool HasBoxes => _boxesByFrame.Count > 0;

    /// <summary>Loads a truth.tsv and the boxes.tsv beside it (same name with .boxes.tsv instead of .truth.tsv).</summary>
    public static PassTruth Load(string truthPath)
    {
        if (!File.Exists(truthPath))
            throw new FileNotFoundException($"truth sidecar {truthPath} not found: pass the <video>.truth.tsv that tools/EdgeAgent.SampleGen wrote", truthPath);
        var passes = new List<TruthPass>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        string[] lines = File.ReadAllLines(truthPath);
        int[] at = Header(lines, truthPath, ["plate_text", "first_frame", "last_frame", "x", "y", "w", "h", "layout", "side", "lane", "conditions"]);
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            string[] f = Fields(lines[i], at, truthPath, i + 1);
            string plate = f[at[0]].Trim().ToUpperInvariant();
            index[plate] = passes.Count;
            passes.Add(new TruthPass(plate, Long(f[at[1]], truthPath, i + 1), Long(f[at[2]], truthPath, i + 1),
                new BoxI((int)Long(f[at[3]], truthPath, i + 1), (int)Long(f[at[4]], truthPath, i + 1), (int)Long(f[at[5]], truthPath, i + 1),
                    (int)Long(f[at[6]], truthPath, i + 1)),
                f[at[7]], f[at[8]], f[at[9]], f[at[10]].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        }

        var boxes = new Dictionary<long, List<(int, BoxI)>>();
        string boxesPath = truthPath.EndsWith(".truth.tsv", StringComparison.Ordinal)
            ? truthPath[..^".truth.tsv".Length] + ".boxes.tsv"
            : "";
        if (boxesPath.Length > 0 && File.Exists(boxesPath))
        {
            string[] rows = File.ReadAllLines(boxesPath);
            int[] b = Header(rows, boxesPath, ["frame", "plate_text", "x", "y", "w", "h"]);
            for (int i = 1; i < rows.Length; i++)
            {
                if (rows[i].Length == 0) continue;
                string[] f = Fields(rows[i], b, boxesPath, i + 1);
                if (!index.TryGetValue(f[b[1]].Trim().ToUpperInvariant(), out int pass))
                    throw new InvalidDataException($"{boxesPath} line {i + 1}: plate is not in {truthPath}");
                long frame = Long(f[b[0]], boxesPath, i + 1);
                var box = new BoxI((int)Long(f[b[2]], boxesPath, i + 1), (int)Long(f[b[3]], boxesPath, i + 1), (int)Long(f[b[4]], boxesPath, i + 1),
                    (int)Long(f[b[5]], boxesPath, i + 1));
                if (!boxes.TryGetValue(frame, out var list)) boxes[frame] = list = [];
                list.Add((pass, box));
            }
        }
        return new PassTruth(passes, boxes);
    }

    /// <summary>The pass whose plate box in <paramref name="frame"/> overlaps <paramref name="box"/> most (IoU above 0.1), or -1.</summary>
    public int PassAt(long frame, BoxI box)
    {
        if (!_boxesByFrame.TryGetValue(frame, out var list)) return -1;
        int best = -1;
        float bestIou = 0.1f;
        foreach (var (pass, truthBox) in list)
        {
            float iou = truthBox.IntersectionOverUnion(box);
            if (iou > bestIou)
            {
                best = pass;
                bestIou = iou;
            }
        }
        return best;
    }

    /// <summary>Whether the truth has a box of <paramref name="pass"/> in <paramref name="frame"/> (its plate wholly in view).</summary>
    public bool HasBox(int pass, long frame) =>
        _boxesByFrame.TryGetValue(frame, out var list) && list.Exists(b => b.Pass == pass);

    private static int[] Header(string[] lines, string path, string[] columns)
    {
        if (lines.Length == 0) throw new InvalidDataException($"{path} is empty: expected a header line");
        string[] names = lines[0].Split('\t');
        return columns.Select(c => Array.IndexOf(names, c) is var k and >= 0
            ? k
            : throw new InvalidDataException($"{path} line 1: no '{c}' column; is this a sample generator truth file?")).ToArray();
    }

    private static string[] Fields(string line, int[] at, string path, int number)
    {
        string[] f = line.TrimEnd('\r').Split('\t');
        if (f.Length <= at.Max()) throw new InvalidDataException($"{path} line {number}: {f.Length} fields, fewer than the header names");
        return f;
    }

    private static long Long(string text, string path, int line) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v)
            ? v
            : throw new InvalidDataException($"{path} line {line}: '{text}' is not a whole number");
}
