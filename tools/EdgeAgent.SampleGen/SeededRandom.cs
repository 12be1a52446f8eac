namespace EdgeAgent.SampleGen;

/// <summary>
/// SplitMix64. System.Random's seeded sequence is an implementation detail of the runtime; this one
/// is defined here, so one seed gives the same frames on every .NET version.
/// </summary>
internal sealed class SeededRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>
    /// A stream of its own for one pass, segment or effect. Deriving streams from a path (rather than
    /// drawing everything from one sequence) keeps pass 17 unchanged when pass 3 gains an effect.
    /// </summary>
    public static SeededRandom Derive(int seed, params ReadOnlySpan<int> path)
    {
        ulong h = 0x243F6A8885A308D3UL ^ (uint)seed;
        foreach (int p in path)
        {
            h = Mix(h + (0x9E3779B97F4A7C15UL * ((uint)p + 1UL)));
        }

        return new SeededRandom(Mix(h));
    }

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);

    public double Range(double min, double max) => min + ((max - min) * NextDouble());

    // Modulo bias is below 1e-15 for the small ranges used here.
    public int Next(int maxExclusive) => (int)(NextUInt64() % (ulong)maxExclusive);

    public int Next(int minInclusive, int maxExclusive) => minInclusive + Next(maxExclusive - minInclusive);

    public bool Chance(double p) => NextDouble() < p;

    public double Sign() => Chance(0.5) ? 1.0 : -1.0;

    public char Pick(string chars) => chars[Next(chars.Length)];

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    public double Gaussian()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
