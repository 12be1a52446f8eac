using System.Numerics;
using EdgeAgent.SampleGen.Plates;

namespace EdgeAgent.SampleGen.Rendering;

/// <summary>
/// Draws a plate texture into a projected quad by inverse mapping: for each frame pixel in the
/// quad's box, the inverse homography gives the texel, sampled bilinearly from a suitable mip level.
/// The plate's outline is anti-aliased by the pixel's distance to the texture's edge.
/// </summary>
internal static class PlateWarper
{
    /// <param name="quad">Top-left, top-right, bottom-right, bottom-left of the plate in the frame.</param>
    /// <param name="gain">Scene light on the plate (1 = as painted).</param>
    public static void Draw(Bgr24Frame frame, PlateTexture texture, ReadOnlySpan<Vector2> quad, float gain, PixelRect clip)
    {
        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        foreach (Vector2 p in quad)
        {
            minX = Math.Min(minX, p.X);
            maxX = Math.Max(maxX, p.X);
            minY = Math.Min(minY, p.Y);
            maxY = Math.Max(maxY, p.Y);
        }

        PixelRect box = PixelRect.Enclosing(minX, minY, maxX, maxY).Intersect(clip).Intersect(frame.Bounds);
        if (box.IsEmpty)
        {
            return;
        }

        double drawnHeight = (Vector2.Distance(quad[0], quad[3]) + Vector2.Distance(quad[1], quad[2])) / 2;
        double drawnWidth = (Vector2.Distance(quad[0], quad[1]) + Vector2.Distance(quad[3], quad[2])) / 2;
        TextureLevel level = texture.LevelFor(drawnHeight);
        int tw = level.Width, th = level.Height;
        byte[] tex = level.Bgra;
        // Frame pixels per texel, to turn a distance inside the texture into frame pixels.
        double perTexelX = drawnWidth / tw, perTexelY = drawnHeight / th;

        Homography inv = Homography.UnitSquareToQuad(quad[0], quad[1], quad[2], quad[3]).Inverse();
        byte[] data = frame.Data;
        int stride = frame.Stride;
        int g = (int)(gain * 256f);
        for (int y = box.Y; y < box.Bottom; y++)
        {
            double py = y + 0.5;
            // Numerators and denominator are affine in x: step them instead of recomputing.
            double px0 = box.X + 0.5;
            double un = (inv.M00 * px0) + (inv.M01 * py) + inv.M02;
            double vn = (inv.M10 * px0) + (inv.M11 * py) + inv.M12;
            double wn = (inv.M20 * px0) + (inv.M21 * py) + inv.M22;
            int row = y * stride;
            for (int x = box.X; x < box.Right; x++, un += inv.M00, vn += inv.M10, wn += inv.M20)
            {
                double tx = un / wn * tw, ty = vn / wn * th;
                double edge = Math.Min(Math.Min(tx, tw - tx) * perTexelX, Math.Min(ty, th - ty) * perTexelY) + 0.5;
                if (edge <= 0)
                {
                    continue;
                }

                double fx = Math.Clamp(tx - 0.5, 0, tw - 1.001), fy = Math.Clamp(ty - 0.5, 0, th - 1.001);
                int ix = (int)fx, iy = (int)fy;
                int wx = (int)((fx - ix) * 256), wy = (int)((fy - iy) * 256);
                int t00 = ((iy * tw) + ix) * 4, t01 = t00 + 4, t10 = t00 + (tw * 4), t11 = t10 + 4;
                int alpha = Bilerp(tex, t00 + 3, t01 + 3, t10 + 3, t11 + 3, wx, wy);
                int cover = (int)(Math.Min(edge, 1.0) * alpha); // 0..255
                if (cover <= 0)
                {
                    continue;
                }

                int o = row + (x * 3);
                for (int c = 0; c < 3; c++)
                {
                    int v = Math.Min(255, (Bilerp(tex, t00 + c, t01 + c, t10 + c, t11 + c, wx, wy) * g) >> 8);
                    data[o + c] = (byte)(data[o + c] + (((v - data[o + c]) * cover) / 255));
                }
            }
        }
    }

    private static int Bilerp(byte[] t, int i00, int i01, int i10, int i11, int wx, int wy)
    {
        int top = (t[i00] << 8) + ((t[i01] - t[i00]) * wx);
        int bottom = (t[i10] << 8) + ((t[i11] - t[i10]) * wx);
        return ((top << 8) + ((bottom - top) * wy)) >> 16;
    }
}
