using System.Numerics;

namespace EdgeAgent.SampleGen.Rendering;

/// <summary>
/// Fills projected polygons (convex or not, even-odd) with anti-aliased edges: four sub-scanlines
/// per row, each span with exact fractional ends. Hard stair-stepped vehicle outlines would give a
/// plate finder edges that real optics never produce.
/// </summary>
/// <remarks>
/// Vehicles cover up to half a 1080p frame, several faces deep, every frame; so a row whose four
/// sub-scanlines each cross the polygon once (every row of a convex face) accumulates coverage
/// only at its two edges and fills the fully covered middle with block copies.
/// </remarks>
internal static class PolygonFiller
{
    private const int SubRows = 4;
    private const float SubWeight = 1f / SubRows;

    [ThreadStatic]
    private static float[]? t_coverage;

    public static void Fill(Bgr24Frame frame, ReadOnlySpan<Vector2> points, Bgr colour, float alpha, PixelRect clip)
    {
        if (points.Length < 3 || alpha <= 0f)
        {
            return;
        }

        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        foreach (Vector2 p in points)
        {
            minX = Math.Min(minX, p.X);
            maxX = Math.Max(maxX, p.X);
            minY = Math.Min(minY, p.Y);
            maxY = Math.Max(maxY, p.Y);
        }

        clip = clip.Intersect(frame.Bounds);
        PixelRect box = PixelRect.Enclosing(minX, minY, maxX, maxY).Intersect(clip);
        if (box.IsEmpty)
        {
            return;
        }

        float[] coverage = t_coverage is { } c && c.Length >= box.Width + 1 ? c : (t_coverage = new float[Math.Max(box.Width + 1, 2048)]);
        var row = new RowWriter(frame, box, coverage, colour, alpha);
        Span<float> xs = points.Length <= 64 ? stackalloc float[points.Length] : new float[points.Length];
        Span<float> left = stackalloc float[SubRows];
        Span<float> right = stackalloc float[SubRows];
        for (int y = box.Y; y < box.Bottom; y++)
        {
            row.Y = y;
            bool simple = true;
            for (int s = 0; s < SubRows && simple; s++)
            {
                int n = Crossings(points, y + ((s + 0.5f) / SubRows), xs);
                simple = n == 2;
                if (simple)
                {
                    left[s] = Math.Max(xs[0], box.X);
                    right[s] = Math.Min(xs[1], box.Right);
                }
            }

            if (simple)
            {
                SimpleRow(ref row, left, right);
            }
            else
            {
                GeneralRow(ref row, points, xs);
            }
        }
    }

    /// <summary>One span per sub-scanline: coverage at the edges, a solid fill in between.</summary>
    private static void SimpleRow(ref RowWriter row, ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        float lo = float.MaxValue, hi = float.MinValue, innerLo = float.MinValue, innerHi = float.MaxValue;
        for (int s = 0; s < SubRows; s++)
        {
            if (right[s] <= left[s])
            {
                innerLo = float.MaxValue; // a sub-scanline misses the polygon: no full-coverage pixels
                continue;
            }

            lo = Math.Min(lo, left[s]);
            hi = Math.Max(hi, right[s]);
            innerLo = Math.Max(innerLo, left[s]);
            innerHi = Math.Min(innerHi, right[s]);
        }

        if (lo >= hi)
        {
            return;
        }

        int solidStart = (int)Math.Ceiling(innerLo), solidEnd = (int)Math.Floor(innerHi);
        if (solidEnd <= solidStart)
        {
            for (int s = 0; s < SubRows; s++)
            {
                row.AddSpan(left[s], right[s]);
            }

            row.BlendAccumulated((int)lo, Math.Min((int)hi, row.Box.Right - 1));
            return;
        }

        for (int s = 0; s < SubRows; s++)
        {
            row.AddSpan(left[s], Math.Min(right[s], solidStart));
            row.AddSpan(Math.Max(left[s], solidEnd), right[s]);
        }

        row.BlendAccumulated((int)lo, solidStart - 1);
        row.Solid(solidStart, solidEnd);
        row.BlendAccumulated(solidEnd, Math.Min((int)hi, row.Box.Right - 1));
    }

    /// <summary>Any number of spans per sub-scanline (concave side profiles, clipped shapes).</summary>
    private static void GeneralRow(ref RowWriter row, ReadOnlySpan<Vector2> points, Span<float> xs)
    {
        int lo = int.MaxValue, hi = int.MinValue;
        for (int s = 0; s < SubRows; s++)
        {
            int n = Crossings(points, row.Y + ((s + 0.5f) / SubRows), xs);
            for (int k = 0; k + 1 < n; k += 2)
            {
                float x0 = Math.Max(xs[k], row.Box.X), x1 = Math.Min(xs[k + 1], row.Box.Right);
                if (x1 > x0)
                {
                    row.AddSpan(x0, x1);
                    lo = Math.Min(lo, (int)x0);
                    hi = Math.Max(hi, Math.Min((int)x1, row.Box.Right - 1));
                }
            }
        }

        if (lo <= hi)
        {
            row.BlendAccumulated(lo, hi);
        }
    }

    /// <summary>Sorted x positions where the polygon's edges cross the line y = <paramref name="sy"/>.</summary>
    private static int Crossings(ReadOnlySpan<Vector2> pts, float sy, Span<float> xs)
    {
        int n = 0;
        for (int i = 0; i < pts.Length; i++)
        {
            Vector2 a = pts[i], b = pts[(i + 1) % pts.Length];
            if ((a.Y <= sy && b.Y > sy) || (b.Y <= sy && a.Y > sy))
            {
                float x = a.X + ((sy - a.Y) * (b.X - a.X) / (b.Y - a.Y));
                int j = n++;
                while (j > 0 && xs[j - 1] > x)
                {
                    xs[j] = xs[j - 1];
                    j--;
                }

                xs[j] = x;
            }
        }

        return n;
    }

    /// <summary>Writes one row: coverage accumulation, blending and solid runs.</summary>
    private struct RowWriter(Bgr24Frame frame, PixelRect box, float[] coverage, Bgr colour, float alpha)
    {
        private readonly byte[] _data = frame.Data;
        private readonly int _stride = frame.Stride;

        public readonly PixelRect Box = box;

        public int Y;

        /// <summary>Adds one sub-scanline's coverage of [x0, x1) (already clipped to the box).</summary>
        public readonly void AddSpan(float x0, float x1)
        {
            if (x1 <= x0)
            {
                return;
            }

            int i0 = (int)x0, i1 = (int)x1;
            if (i0 == i1)
            {
                coverage[i0 - Box.X] += SubWeight * (x1 - x0);
                return;
            }

            coverage[i0 - Box.X] += SubWeight * (i0 + 1 - x0);
            for (int i = i0 + 1; i < i1; i++)
            {
                coverage[i - Box.X] += SubWeight;
            }

            if (i1 < Box.Right)
            {
                coverage[i1 - Box.X] += SubWeight * (x1 - i1);
            }
        }

        /// <summary>Blends pixels [from, to] by their accumulated coverage and clears it.</summary>
        public readonly void BlendAccumulated(int from, int to)
        {
            int rowStart = Y * _stride;
            for (int x = Math.Max(from, Box.X); x <= to; x++)
            {
                float a = Math.Min(coverage[x - Box.X], 1f) * alpha;
                coverage[x - Box.X] = 0f;
                if (a > 0.002f)
                {
                    Blend(rowStart + (x * 3), a);
                }
            }
        }

        /// <summary>Pixels [from, to) fully inside the polygon.</summary>
        public readonly void Solid(int from, int to)
        {
            int o = (Y * _stride) + (from * 3);
            if (alpha < 0.998f)
            {
                for (int x = from; x < to; x++, o += 3)
                {
                    Blend(o, alpha);
                }

                return;
            }

            // One pixel, then doubling block copies: memcpy speed for 3-byte pixels.
            int length = (to - from) * 3;
            _data[o] = colour.B;
            _data[o + 1] = colour.G;
            _data[o + 2] = colour.R;
            for (int done = 3; done < length;)
            {
                int n = Math.Min(done, length - done);
                Buffer.BlockCopy(_data, o, _data, o + done, n);
                done += n;
            }
        }

        private readonly void Blend(int o, float a)
        {
            if (a >= 0.998f)
            {
                _data[o] = colour.B;
                _data[o + 1] = colour.G;
                _data[o + 2] = colour.R;
                return;
            }

            int ai = (int)(a * 256f);
            _data[o] = (byte)(_data[o] + (((colour.B - _data[o]) * ai) >> 8));
            _data[o + 1] = (byte)(_data[o + 1] + (((colour.G - _data[o + 1]) * ai) >> 8));
            _data[o + 2] = (byte)(_data[o + 2] + (((colour.R - _data[o + 2]) * ai) >> 8));
        }
    }
}
