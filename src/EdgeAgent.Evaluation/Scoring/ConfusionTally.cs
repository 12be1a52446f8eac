using System.Globalization;

namespace EdgeAgent.Evaluation.Scoring;

/// <summary>
/// Counts the character edits behind wrong reads: which label character was read as which (a
/// substitution), missed, or added. Characters only, never whole plates, so the summary names no vehicle.
/// </summary>
public sealed class ConfusionTally
{
    private readonly Dictionary<(char Expected, char Read), int> _counts = [];

    public int Substitutions { get; private set; }
    public int Missed { get; private set; }
    public int Extra { get; private set; }

    public void Add(string? read, string label)
    {
        foreach (var edit in TextScore.Edits(read, label))
        {
            _counts[edit] = _counts.GetValueOrDefault(edit) + 1;
            if (edit.Expected == '\0') Extra++;
            else if (edit.Read == '\0') Missed++;
            else Substitutions++;
        }
    }

    /// <summary>The most frequent edits, most frequent first, ties in character order.</summary>
    public IReadOnlyList<ConfusionEntry> Top(int count) =>
        _counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key.Expected).ThenBy(kv => kv.Key.Read)
            .Take(count).Select(kv => new ConfusionEntry(Show(kv.Key.Expected), Show(kv.Key.Read), kv.Value)).ToList();

    /// <summary>"0>O x5, 8>B x3, -1 x2 (missed), +I x1 (extra)": one line for people.</summary>
    public string Summary(int count = 10)
    {
        IReadOnlyList<ConfusionEntry> top = Top(count);
        if (top.Count == 0) return "none";
        return string.Join(", ", top.Select(e => e.ToString()));
    }

    private static string Show(char c) => c == '\0' ? "" : c.ToString(CultureInfo.InvariantCulture);
}

/// <summary>One kind of character error: expected "" is an extra character, read "" a missed one.</summary>
public sealed record ConfusionEntry(string Expected, string Read, int Count)
{
    public override string ToString() => (Expected, Read) switch
    {
        ("", _) => $"+{Read} x{Count}",
        (_, "") => $"-{Expected} x{Count}",
        _ => $"{Expected}>{Read} x{Count}",
    };
}
