namespace EdgeAgent.Evaluation.Scoring;

/// <summary>How a read compares with its label: spaces and case ignored, edit distance, character accuracy.</summary>
public static class TextScore
{
    /// <summary>Upper case, letters and digits only: "ab12 cde" and "AB12CDE" are the same plate.</summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        Span<char> buffer = text.Length <= 64 ? stackalloc char[text.Length] : new char[text.Length];
        int n = 0;
        foreach (char c in text)
            if (char.IsAsciiLetterOrDigit(c)) buffer[n++] = char.ToUpperInvariant(c);
        return new string(buffer[..n]);
    }

    public static bool Exact(string? read, string label) => Normalize(read) == Normalize(label) && Normalize(label).Length > 0;

    /// <summary>Levenshtein distance: insertions, deletions and substitutions each cost one.</summary>
    public static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    /// <summary>1 - edit distance / label length, floored at 0; no read at all scores 0.</summary>
    public static double CharAccuracy(string? read, string label)
    {
        string l = Normalize(label), r = Normalize(read);
        if (l.Length == 0) return 0;
        return Math.Max(0, 1 - (double)EditDistance(r, l) / l.Length);
    }

    /// <summary>
    /// The edits that turn the label into the read, for the confusion summary: a substitution is
    /// (label char, read char), a missed character (label char, '\0'), an extra one ('\0', read char).
    /// </summary>
    public static IReadOnlyList<(char Expected, char Read)> Edits(string? read, string label)
    {
        string a = Normalize(label), b = Normalize(read);
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1), Math.Min(d[i - 1, j], d[i, j - 1]) + 1);

        var edits = new List<(char, char)>();
        int x = a.Length, y = b.Length;
        while (x > 0 || y > 0)
        {
            if (x > 0 && y > 0 && d[x, y] == d[x - 1, y - 1] + (a[x - 1] == b[y - 1] ? 0 : 1))
            {
                if (a[x - 1] != b[y - 1]) edits.Add((a[x - 1], b[y - 1]));
                x--;
                y--;
            }
            else if (x > 0 && d[x, y] == d[x - 1, y] + 1)
            {
                edits.Add((a[x - 1], '\0'));
                x--;
            }
            else
            {
                edits.Add(('\0', b[y - 1]));
                y--;
            }
        }
        edits.Reverse();
        return edits;
    }
}
