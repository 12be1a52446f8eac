using EdgeAgent.SampleGen.Rendering;

namespace EdgeAgent.SampleGen.Scene;

/// <summary>
/// The empty road as the camera sees it, rendered once per run (day and IR night) and copied into
/// every frame, so a frame costs a memcpy plus whatever moves. Each pixel is traced to the ground and
/// coloured from world position, so texture and markings shrink correctly with distance.
/// </summary>
internal static class RoadBackground
{
    public const double LaneWidthM = 3.0;
    private const double KerbWidthM = 0.15;

    private static readonly Bgr Asphalt = Bgr.Hex(0x4C4E50);
    private static readonly Bgr Marking = Bgr.Hex(0xE4E6E2);
    private static readonly Bgr YellowLine = Bgr.Hex(0xE2BC2A);
    private static readonly Bgr Kerb = Bgr.Hex(0x9A9A96);
    private static readonly Bgr Paving = Bgr.Hex(0xA9A8A2);
    private static readonly Bgr Joint = Bgr.Hex(0x77766F);

    /// <summary>Renders both looks; night is derived from the day image (see <see cref="ToNight"/>).</summary>
    public static (Bgr24Frame Day, Bgr24Frame Night) Render(RoadsideCamera camera, int seed)
    {
        var day = new Bgr24Frame(camera.Width, camera.Height);
        var night = new Bgr24Frame(camera.Width, camera.Height);
        uint s = (uint)seed * 2654435761u;
        Span<double> acc = stackalloc double[4];
        for (int y = 0; y < camera.Height; y++)
        {
            for (int x = 0; x < camera.Width; x++)
            {
                // 2x2 supersampling: the markings' edges and the far texture would otherwise alias.
                acc.Clear();
                for (int k = 0; k < 4; k++)
                {
                    double u = x + 0.25 + (0.5 * (k & 1)), v = y + 0.25 + (0.5 * (k >> 1));
                    (Bgr c, bool retro) = camera.GroundAt(u, v, out double gx, out double gz) ? Ground(gx, gz, s) : (Bgr.Hex(0x8090A0), false);
                    acc[0] += c.B;
                    acc[1] += c.G;
                    acc[2] += c.R;
                    acc[3] += retro ? 1 : 0;
                }

                int o = (y * day.Stride) + (x * 3);
                var colour = new Bgr(Bgr.Clamp(acc[0] / 4), Bgr.Clamp(acc[1] / 4), Bgr.Clamp(acc[2] / 4));
                day.Data[o] = colour.B;
                day.Data[o + 1] = colour.G;
                day.Data[o + 2] = colour.R;
                // Frozen sensor noise (about the same strength as the moving noise drawn over
                // vehicles at night, see FrameEffects.SensorNoise).
                double grain = 4.0 * (ValueNoise.Hash(x, y, s + 21) + ValueNoise.Hash(x, y, s + 22) + ValueNoise.Hash(x, y, s + 23));
                byte g = Bgr.Clamp(ToNight(colour, acc[3] / 4, x, y, camera) + grain);
                night.Data[o] = g;
                night.Data[o + 1] = g;
                night.Data[o + 2] = g;
            }
        }

        return (day, night);
    }

    /// <summary>
    /// An IR-lit night frame: grey, dark, brightest in the illuminator's cone around the capture
    /// zone, road markings brighter than their paint because their glass beads are retroreflective.
    /// </summary>
    private static double ToNight(Bgr day, double retro, int x, int y, RoadsideCamera camera)
    {
        double nx = (x - camera.Cx) / camera.Width, ny = (y - (camera.Height * 0.62)) / camera.Height;
        double cone = Math.Exp(-((nx * nx / 0.09) + (ny * ny / 0.12)));
        double level = day.Luma * (0.12 + (0.38 * cone)) * (1 + (1.2 * retro));
        return level + 3;
    }

    /// <summary>The ground at world (x, z): asphalt with wear, the centre line, double yellow lines,
    /// kerbs and paving. Returns whether the point is a retroreflective marking.</summary>
    private static (Bgr Colour, bool Retro) Ground(double x, double z, uint seed)
    {
        double ax = Math.Abs(x);
        double roadEdge = LaneWidthM;
        if (ax > roadEdge + KerbWidthM)
        {
            // Paving slabs, 600 x 600 mm, with darker joints and a little per-slab tone.
            double px = (ax - roadEdge - KerbWidthM) / 0.6, pz = z / 0.6;
            double fx = px - Math.Floor(px), fz = pz - Math.Floor(pz);
            bool joint = fx < 0.02 || fz < 0.02;
            double slab = 1 + (0.05 * ValueNoise.Hash((int)Math.Floor(px), (int)Math.Floor(pz), seed + 11));
            return ((joint ? Joint : Paving).Scale(slab + (0.03 * ValueNoise.Fractal(x * 9, z * 9, seed + 12, 2))), false);
        }

        if (ax > roadEdge)
        {
            double seg = z / 0.915; // kerb stones are about 915 mm long
            bool gap = seg - Math.Floor(seg) < 0.015;
            return (gap ? Joint : Kerb, false);
        }

        // Asphalt: broad patches plus fine aggregate, darker in the wheel tracks of each lane.
        double patch = ValueNoise.Fractal(x * 0.35, z * 0.35, seed + 1, 3);
        double grain = ValueNoise.Fractal(x * 18, z * 18, seed + 2, 2);
        double track = Math.Exp(-Math.Pow((ax - (LaneWidthM / 2) - 0.75) / 0.35, 2)) + Math.Exp(-Math.Pow((ax - (LaneWidthM / 2) + 0.75) / 0.35, 2));
        double tone = 1 + (0.07 * patch) + (0.05 * grain) - (0.06 * track);
        Bgr road = Asphalt.Scale(tone);

        // Centre line (UK diagram 1004): 4 m marks, 5 m gaps, 100 mm wide, a little worn.
        double cycle = (z + 2.0) / 9.0;
        if (ax < 0.05 && cycle - Math.Floor(cycle) < 4.0 / 9.0)
        {
            return (Bgr.Lerp(road, Marking, 0.85 + (0.15 * ValueNoise.Sample(x * 40, z * 6, seed + 3))), true);
        }

        // Double yellow lines along each kerb: 75 mm lines, 75 mm apart, 100 mm from the kerb face.
        double fromKerb = roadEdge - ax;
        if ((fromKerb > 0.1 && fromKerb < 0.175) || (fromKerb > 0.25 && fromKerb < 0.325))
        {
            return (Bgr.Lerp(road, YellowLine, 0.8), true);
        }

        // A gully grate by the kerb and a manhole cover in the lane: fixed clutter a plate finder
        // must learn to ignore.
        if (fromKerb > 0.35 && fromKerb < 0.8 && Math.Abs(z - 17.0) < 0.25)
        {
            return (Bgr.Hex(0x2E2F31).Scale(((int)(z * 40) & 1) == 0 ? 0.7 : 1.2), false);
        }

        if (((x + 1.7) * (x + 1.7)) + ((z - 9.5) * (z - 9.5)) < 0.3 * 0.3)
        {
            return (Bgr.Hex(0x3A3B3C).Scale(1 + (0.15 * ValueNoise.Sample(x * 30, z * 30, seed + 4))), false);
        }

        return (road, false);
    }
}
