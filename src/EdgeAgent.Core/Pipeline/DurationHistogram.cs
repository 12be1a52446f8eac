using System.Diagnostics;

namespace EdgeAgent.Core.Pipeline;

/// <summary>
/// Durations counted into fixed buckets, so that recording one from the frame loop allocates nothing and
/// takes no lock: 10 µs buckets up to 100 ms, then 1 ms buckets up to 10 s (longer ones count as 10 s).
/// Percentiles are exact to the bucket width. Safe for several recording threads.
/// </summary>
public sealed class DurationHistogram
{
    private const int FineBuckets = 10_000;        // 0..100 ms in 10 µs steps
    private const int CoarseBuckets = 9_900;       // 100 ms..10 s in 1 ms steps
    private const double FineWidthMs = 0.01;
    private readonly long[] _counts = new long[FineBuckets + CoarseBuckets];
    private long _total;

    public long Count => Interlocked.Read(ref _total);

    /// <summary>Records a duration given in <see cref="Stopwatch"/> ticks.</summary>
    public void AddTicks(long ticks) => AddMilliseconds(ticks * 1000.0 / Stopwatch.Frequency);

    public void AddMilliseconds(double ms)
    {
        int bucket = ms < 100 ? (int)(Math.Max(0, ms) / FineWidthMs)
            : FineBuckets + Math.Min(CoarseBuckets - 1, (int)(ms - 100));
        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Increment(ref _total);
    }

    /// <summary>The duration below which <paramref name="quantile"/> of the samples fall (the bucket's upper edge), 0 when empty.</summary>
    public double Percentile(double quantile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantile, 1);
        long total = Count;
        if (total == 0) return 0;
        long rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank) return i < FineBuckets ? (i + 1) * FineWidthMs : 100 + (i - FineBuckets + 1);
        }
        return 10_000;
    }

    public void Clear()
    {
        Array.Clear(_counts);
        Interlocked.Exchange(ref _total, 0);
    }
}
