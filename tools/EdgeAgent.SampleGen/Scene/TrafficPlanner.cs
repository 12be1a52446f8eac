using System.Numerics;
using EdgeAgent.SampleGen.Plates;
using EdgeAgent.SampleGen.Rendering;

namespace EdgeAgent.SampleGen.Scene;

/// <summary>Everything that will happen in the video, decided before the first frame is drawn.</summary>
internal sealed class TrafficPlan
{
    public required IReadOnlyList<Segment> Segments { get; init; }

    public required IReadOnlyList<VehiclePass> Passes { get; init; }

    public required int Fps { get; init; }

    public required int FrameCount { get; init; }

    public Segment SegmentAt(double t)
    {
        Segment current = Segments[0];
        foreach (Segment s in Segments)
        {
            if (s.Start <= t)
            {
                current = s;
            }
        }

        return current;
    }
}

/// <summary>
/// Draws the passes and their conditions from the seed, finds by a geometric scan when each
/// vehicle and its plate are in view, and lays the passes out on a timeline with empty road between.
/// </summary>
internal static class TrafficPlanner
{
    private const double ScanLimitM = 60;
    private const double ScanStepM = 0.04;
    private const double MinPlateSeconds = 0.4;

    private static readonly Bgr[] CarColours =
    [
        Bgr.Hex(0xB9BDC1), Bgr.Hex(0xEDEEEC), Bgr.Hex(0x1D1E21), Bgr.Hex(0x4B4F55), Bgr.Hex(0x1E3C8A),
        Bgr.Hex(0x9C1B1D), Bgr.Hex(0x1A2441), Bgr.Hex(0x2F5A3B), Bgr.Hex(0x7A6A55), Bgr.Hex(0x8C9499),
    ];

    public static TrafficPlan Create(GeneratorOptions options, RoadsideCamera camera)
    {
        var segments = new List<Segment>();
        var passes = new List<VehiclePass>();
        var issued = new HashSet<string>(StringComparer.Ordinal);
        for (int segIndex = 0; passes.Count < options.Passes; segIndex++)
        {
            var rng = SeededRandom.Derive(options.Seed, 2, segIndex);
            bool twoLane = options.Hard && options.Passes - passes.Count >= 2 && rng.Chance(0.25);
            Conditions scene = Conditions.None;
            if (options.Hard && rng.Chance(0.25))
            {
                scene |= Conditions.NightIr;
            }

            double exposure = 0;
            if (options.Hard && rng.Chance(0.3))
            {
                scene |= Conditions.MotionBlur;
                // A slow shutter, 8-20 % of the frame time: 3-10 px of smear at these speeds.
                exposure = rng.Range(0.08, 0.2) / options.Fps;
            }

            var members = new List<VehiclePass>();
            if (twoLane)
            {
                scene |= Conditions.TwoLane;
                members.Add(MakePass(options, camera, passes.Count, PlateSide.Rear, scene, issued));
                passes.Add(members[^1]);
                members.Add(MakePass(options, camera, passes.Count, PlateSide.Front, scene, issued));
                passes.Add(members[^1]);
            }
            else
            {
                var side = SeededRandom.Derive(options.Seed, 6, passes.Count).Chance(0.5) ? PlateSide.Front : PlateSide.Rear;
                members.Add(MakePass(options, camera, passes.Count, side, scene, issued));
                passes.Add(members[^1]);
            }

            var segment = new Segment { Index = segIndex, Passes = members, Conditions = scene, Exposure = exposure };
            foreach (VehiclePass p in members)
            {
                p.Segment = segment;
            }

            segments.Add(segment);
        }

        // Night segments go last, as one block: the video runs from day into night once, the way a
        // real camera's day/night switch happens, instead of flickering between them.
        List<Segment> ordered = [.. segments.Where(s => !s.Night), .. segments.Where(s => s.Night)];
        double duration = Schedule(ordered, options);
        return new TrafficPlan
        {
            Segments = ordered,
            Passes = passes,
            Fps = options.Fps,
            FrameCount = (int)Math.Ceiling(duration * options.Fps),
        };
    }

    /// <param name="issued">Registrations already used: each appears once per video, so a tracker
    /// that merges two passes of one plate is always wrong.</param>
    private static VehiclePass MakePass(GeneratorOptions options, RoadsideCamera camera, int index, PlateSide side, Conditions scene, HashSet<string> issued)
    {
        var rng = SeededRandom.Derive(options.Seed, 3, index);
        bool hard = options.Hard;
        for (int attempt = 0; attempt < 50; attempt++)
        {
            PlateLayout layout = PickLayout(rng, hard, index);
            PlateText plate = PlateTextGenerator.Generate(layout, rng);
            if (issued.Contains(plate.Text))
            {
                continue;
            }

            double k = rng.NextDouble();
            VehicleKind kind = k < 0.36 ? VehicleKind.Hatchback : k < 0.6 ? VehicleKind.Saloon : k < 0.82 ? VehicleKind.Suv : VehicleKind.Van;
            Bgr colour = kind == VehicleKind.Van && rng.Chance(0.6) ? Bgr.Hex(0xEDEEEC) : CarColours[rng.Next(CarColours.Length)];
            (double lo, double hi) = VehicleModelBuilder.PlateHeightRange(kind, side);
            double plateY = rng.Range(lo, hi);

            Conditions own = Conditions.None;
            if (hard)
            {
                own |= rng.Chance(0.35) ? Conditions.Skew : Conditions.None;
                own |= rng.Chance(0.25) ? Conditions.Dirt : Conditions.None;
                own |= rng.Chance(0.2) ? Conditions.Occlusion : Conditions.None;
                own |= rng.Chance(0.2) ? Conditions.Glare : Conditions.None;
                own |= rng.Chance(0.2) ? Conditions.JpegNoise : Conditions.None;
            }

            // Lane 1 (left) carries traffic away from the camera, lane 2 (right) oncoming traffic:
            // UK traffic keeps left. Vehicles wander within the lane, more often towards the centre.
            int lane = side == PlateSide.Rear ? 1 : 2;
            double sign = lane == 1 ? -1 : 1;
            double laneX = sign * ((RoadBackground.LaneWidthM / 2) - rng.Range(-0.2, 0.45));
            double speed = (scene & Conditions.MotionBlur) != 0 ? rng.Range(11, 17) : hard ? rng.Range(7, 16) : rng.Range(7, 12);
            // Skew comes from three places: the vehicle's heading (small: it drifts the vehicle
            // across the lane), the plate's mounting angle, and its tilt. With a vehicle in the other
            // lane the heading stays straight, so neither vehicle wanders in front of the other plate.
            double yawDeg, plateYawDeg, rollDeg;
            if ((own & Conditions.Skew) != 0)
            {
                yawDeg = (scene & Conditions.TwoLane) != 0 ? 0 : rng.Sign() * rng.Range(2, 6);
                plateYawDeg = rng.Sign() * rng.Range(6, 14);
                rollDeg = rng.Sign() * rng.Range(2, 5);
            }
            else
            {
                yawDeg = (scene & Conditions.TwoLane) != 0 ? 0 : rng.Range(-1, 1);
                plateYawDeg = rng.Range(-1, 1);
                rollDeg = rng.Range(-0.8, 0.8);
            }

            var style = new PlateStyle(side, UkBand: rng.Chance(layout == PlateLayout.GbCurrent ? 0.3 : 0.08), Border: rng.Chance(0.5));
            var pass = new VehiclePass
            {
                Index = index,
                Plate = plate,
                Style = style,
                Model = VehicleModelBuilder.Build(kind, side, colour, plateY),
                BodyColour = colour,
                Lane = lane,
                LaneX = laneX,
                SpeedMps = speed,
                Yaw = yawDeg * Math.PI / 180,
                PlateYaw = plateYawDeg * Math.PI / 180,
                Roll = rollDeg * Math.PI / 180,
                Conditions = own,
            };
            if (Scan(pass, camera))
            {
                issued.Add(plate.Text);
                return pass;
            }
        }

        throw new InvalidOperationException($"pass {index}: no vehicle placement gave a visible plate in 50 attempts");
    }

    /// <summary>
    /// The clean sample is small, so its older layouts are placed rather than drawn: every fifth
    /// pass, cycling through the four, so each appears whatever the seed. The hard set draws them.
    /// </summary>
    private static PlateLayout PickLayout(SeededRandom rng, bool hard, int index)
    {
        PlateLayout[] older = [PlateLayout.GbPrefix, PlateLayout.GbSuffix, PlateLayout.GbDateless, PlateLayout.GbNi];
        if (!hard)
        {
            return index % 5 == 3 ? older[(index / 5) % older.Length] : PlateLayout.GbCurrent;
        }

        return rng.Chance(0.4) ? older[rng.Next(older.Length)] : PlateLayout.GbCurrent;
    }

    /// <summary>
    /// Walks the vehicle along its path and records where it enters and leaves the frame and where
    /// its plate is whole in the frame. Rejects paths where the vehicle is already in view at the
    /// ends of the scan, or where the plate is in view too briefly or in two separate spells.
    /// </summary>
    private static bool Scan(VehiclePass pass, RoadsideCamera camera)
    {
        Span<Vector2> quad = stackalloc Vector2[4];
        var frame = new PixelRect(0, 0, camera.Width, camera.Height);
        double sIn = double.NaN, sOut = double.NaN, pIn = double.NaN, pOut = double.NaN;
        int plateRuns = 0;
        bool plateWas = false;
        for (double s = -ScanLimitM; s <= ScanLimitM; s += ScanStepM)
        {
            VehiclePose pose = pass.PoseAt(s);
            bool inFrame = VehicleGeometry.Bounds(camera, pass.Model, pose, out PixelRect box, out _) && box.Intersects(frame);
            if (inFrame && (s <= -ScanLimitM + ScanStepM || s + ScanStepM > ScanLimitM))
            {
                return false;
            }

            if (inFrame)
            {
                sIn = double.IsNaN(sIn) ? s : sIn;
                sOut = s;
            }

            bool plate = VehicleGeometry.PlateQuad(camera, pass, pose, quad, out _)
                && VehicleGeometry.InsideFrame(quad, camera.Width, camera.Height);
            if (plate)
            {
                pIn = double.IsNaN(pIn) ? s : pIn;
                pOut = s;
                plateRuns += plateWas ? 0 : 1;
            }

            plateWas = plate;
        }

        if (plateRuns != 1 || (pOut - pIn) / pass.SpeedMps < MinPlateSeconds)
        {
            return false;
        }

        // A step of margin either side, so the first and last drawn frames are truly empty of it.
        pass.SIn = sIn - ScanStepM;
        pass.SOut = sOut + ScanStepM;
        pass.SPlateIn = pIn;
        pass.SPlateOut = pOut;
        return true;
    }

    /// <summary>Places segments one after another with empty road between; returns the duration.</summary>
    private static double Schedule(List<Segment> segments, GeneratorOptions options)
    {
        var rng = SeededRandom.Derive(options.Seed, 7);
        double t = 0.8; // the video opens on the empty road
        double previousGap = 1.6;
        foreach (Segment segment in segments)
        {
            if (segment.Passes.Count == 1)
            {
                segment.Passes[0].TIn = t;
            }
            else
            {
                // Two lanes at once: line up the middles of the two plate spells, give or take a
                // quarter of the shorter one, so both plates are in the frame together.
                VehiclePass a = segment.Passes[0], b = segment.Passes[1];
                double midA = ((a.SPlateIn + a.SPlateOut) / 2 - a.SIn) / a.SpeedMps;
                double midB = ((b.SPlateIn + b.SPlateOut) / 2 - b.SIn) / b.SpeedMps;
                double shorter = Math.Min((a.SPlateOut - a.SPlateIn) / a.SpeedMps, (b.SPlateOut - b.SPlateIn) / b.SpeedMps);
                double offset = midA - midB + (rng.Range(-0.25, 0.25) * shorter);
                a.TIn = t + Math.Max(0, -offset);
                b.TIn = t + Math.Max(0, offset);
            }

            segment.Start = segments[0] == segment ? 0 : t - (previousGap / 2);
            double end = segment.Passes.Max(p => p.TOut);
            previousGap = options.Hard ? rng.Range(0.3, 1.0) : rng.Range(0.5, 1.4);
            t = end + previousGap;
        }

        return t;
    }
}
