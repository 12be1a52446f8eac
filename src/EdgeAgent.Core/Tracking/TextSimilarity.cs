namespace EdgeAgent.Core.Tracking;

/// <summary>Edit-distance similarity of two short texts, without allocating.</summary>
public static class TextSimilarity
{
    /// <summary>Levenshtein distance (insertions, deletions, substitutions) for texts up to 64 characters.</summary>
    public static int Distance(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length > 64 || b.Length > 64) throw new ArgumentException("texts longer than 64 characters");
        Span<int> previous = stackalloc int[b.Length + 1];
        Span<int> current = stackalloc int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            current.CopyTo(previous);
        }
        return previous[b.Length];
    }

    /// <summary>1 for equal texts, 0 for nothing in common (or an empty one).</summary>
    public static float Of(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        int longest = Math.Max(a.Length, b.Length);
        if (longest == 0) return 0;
        return 1f - (float)Distance(a, b) / longest;
    }

    /// <summary>The length of the longest run of characters the two texts share.</summary>
    public static int LongestCommonRun(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        int longest = 0;
        for (int i = 0; i < a.Length; i++)
            for (int j = 0; j < b.Length; j++)
            {
                int k = 0;
                while (i + k < a.Length && j + k < b.Length && a[i + k] == b[j + k]) k++;
                longest = Math.Max(longest, k);
            }
        return longest;
    }
}
