namespace EdgeAgent.SampleGen.Rendering;

/// <summary>
/// Smooth lattice noise in [-1, 1] from a hash of the cell coordinates: no tables, so the asphalt
/// and the grime can be sampled at any world or plate position and stay put as the camera's pixel
/// footprint changes with distance.
/// </summary>
internal static class ValueNoise
{
    public static double Sample(double x, double y, uint seed)
    {
        double fx = Math.Floor(x), fy = Math.Floor(y);
        int ix = (int)fx, iy = (int)fy;
        double tx = Smooth(x - fx), ty = Smooth(y - fy);
        double a = Hash(ix, iy, seed), b = Hash(ix + 1, iy, seed);
        double c = Hash(ix, iy + 1, seed), d = Hash(ix + 1, iy + 1, seed);
        double top = a + ((b - a) * tx), bottom = c + ((d - c) * tx);
        return top + ((bottom - top) * ty);
    }

    /// <summary>Octaves of <see cref="Sample"/>, each twice the frequency and half the weight.</summary>
    public static double Fractal(double x, double y, uint seed, int octaves)
    {
        double sum = 0, weight = 1, norm = 0;
        for (int o = 0; o < octaves; o++)
        {
            sum += weight * Sample(x, y, seed + (uint)(o * 7919));
            norm += weight;
            x *= 2.03;
            y *= 2.03;
            weight *= 0.5;
        }

        return sum / norm;
    }

    /// <summary>Integer hash to [-1, 1] (lowbias32).</summary>
    public static double Hash(int x, int y, uint seed)
    {
        uint h = unchecked(((uint)x * 0x8DA6B343u) ^ ((uint)y * 0xD8163841u) ^ (seed * 0xCB1AB31Fu));
        h ^= h >> 16;
        h = unchecked(h * 0x7FEB352Du);
        h ^= h >> 15;
        h = unchecked(h * 0x846CA68Bu);
        h ^= h >> 16;
        return (h / (double)uint.MaxValue * 2.0) - 1.0;
    }

    private static double Smooth(double t) => t * t * (3 - (2 * t));
}
