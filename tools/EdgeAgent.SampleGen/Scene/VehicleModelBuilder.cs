using EdgeAgent.SampleGen.Plates;
using EdgeAgent.SampleGen.Rendering;

namespace EdgeAgent.SampleGen.Scene;

/// <summary>
/// Builds simple but plausible vehicles: a body and a narrower glasshouse, each a side profile
/// extruded across the width, plus flat details (lamps, grille, bumper, wheels, windows).
/// </summary>
internal static class VehicleModelBuilder
{
    private static readonly Bgr Glass = Bgr.Hex(0x262C33);
    private static readonly Bgr Plastic = Bgr.Hex(0x2A2B2D);
    private static readonly Bgr Grille = Bgr.Hex(0x17181A);
    private static readonly Bgr Underside = Bgr.Hex(0x1A1A1A);
    private static readonly Bgr Tyre = Bgr.Hex(0x19191A);
    private static readonly Bgr Hub = Bgr.Hex(0x85888C);
    private static readonly Bgr HeadLamp = Bgr.Hex(0xD7DCE2);
    private static readonly Bgr TailLamp = Bgr.Hex(0xAE1219);

    private enum Edge
    {
        FrontEnd,
        RearEnd,
        Panel,
        Glass,
        Under,
        Hidden,
    }

    /// <summary>A profile vertex; <see cref="Edge"/> describes the edge from it to the next vertex.</summary>
    private readonly record struct P(double Z, double Y, Edge Edge);

    private sealed record Spec(double Length, double HalfWidth, double CabinHalfWidth, P[] Body, P[]? Cabin);

    /// <summary>The range of plate heights the facing end of this kind of vehicle can carry.</summary>
    public static (double Min, double Max) PlateHeightRange(VehicleKind kind, PlateSide side) => (kind, side) switch
    {
        (VehicleKind.Van, PlateSide.Front) => (0.44, 0.58),
        (VehicleKind.Van, PlateSide.Rear) => (0.50, 0.72),
        (VehicleKind.Suv, PlateSide.Front) => (0.46, 0.60),
        (VehicleKind.Suv, PlateSide.Rear) => (0.55, 0.92),
        (_, PlateSide.Front) => (0.32, 0.46),
        _ => (0.42, 0.82),
    };

    public static VehicleModel Build(VehicleKind kind, PlateSide side, Bgr body, double plateY)
    {
        Spec spec = SpecFor(kind);
        var faces = new List<ModelFace>();
        ModelFace facing = Extrude(spec.Body, spec.HalfWidth, body, faces, side == PlateSide.Front ? Edge.FrontEnd : Edge.RearEnd, out ModelFace[] bodySides)
            ?? throw new InvalidOperationException("profile has no facing end");
        if (spec.Cabin is { } cabin)
        {
            Extrude(cabin, spec.CabinHalfWidth, body, faces, null, out ModelFace[] cabinSides);
            foreach (ModelFace s in cabinSides)
            {
                s.Decals.Add(new ModelDecal(Inset(s.Points, 0.07), Glass, LampKind.None));
            }
        }

        double faceBottom = double.MaxValue, faceTop = double.MinValue;
        foreach (Vec3 p in facing.Points)
        {
            faceBottom = Math.Min(faceBottom, p.Y);
            faceTop = Math.Max(faceTop, p.Y);
        }

        // Facing details live on the face's plane (z = 0 in front, z = L at the rear, before the
        // mirror below), a few millimetres proud of it so they win the painter's order.
        double z = side == PlateSide.Front ? -0.005 : spec.Length + 0.005;
        double hw = spec.HalfWidth;
        facing.Decals.Add(Rect(z, -hw * 0.97, hw * 0.97, faceBottom + 0.01, faceBottom + 0.16, Plastic));
        if (side == PlateSide.Front)
        {
            double grilleBottom = plateY + 0.1, grilleTop = faceTop - 0.08;
            if (grilleTop - grilleBottom > 0.05)
            {
                facing.Decals.Add(Rect(z, -0.4, 0.4, grilleBottom, grilleTop, Grille));
            }

            facing.Decals.Add(Rect(z, -hw + 0.06, -hw + 0.36, faceTop - 0.17, faceTop - 0.05, HeadLamp, LampKind.Head));
            facing.Decals.Add(Rect(z, hw - 0.36, hw - 0.06, faceTop - 0.17, faceTop - 0.05, HeadLamp, LampKind.Head));
        }
        else
        {
            double lampTop = kind == VehicleKind.Van ? 1.05 : faceTop - 0.07;
            facing.Decals.Add(Rect(z, -hw + 0.05, -hw + 0.32, lampTop - 0.16, lampTop, TailLamp, LampKind.Tail));
            facing.Decals.Add(Rect(z, hw - 0.32, hw - 0.05, lampTop - 0.16, lampTop, TailLamp, LampKind.Tail));
            if (kind == VehicleKind.Van)
            {
                facing.Decals.Add(Rect(z, -hw + 0.12, -0.06, 1.45, 1.95, Glass));
                facing.Decals.Add(Rect(z, 0.06, hw - 0.12, 1.45, 1.95, Glass));
                facing.Decals.Add(Rect(z, -0.012, 0.012, faceBottom + 0.2, faceTop - 0.05, Grille));
            }
        }

        foreach (ModelFace s in bodySides)
        {
            double x = s.Normal.X * (hw + 0.005);
            foreach (double wz in (double[])[0.85, spec.Length - 0.85])
            {
                s.Decals.Add(new ModelDecal(Disc(x, wz, 0.31, 0.31), Tyre, LampKind.None));
                s.Decals.Add(new ModelDecal(Disc(x, wz, 0.31, 0.17), Hub, LampKind.None));
            }

            if (kind == VehicleKind.Van)
            {
                s.Decals.Add(new ModelDecal(SideRect(x, 1.3, 1.95, 1.2, 1.9), Glass, LampKind.None));
            }
        }

        var model = new VehicleModel(kind, spec.Length, hw, plateY, faces);
        return side == PlateSide.Front ? model : Mirror(model);
    }

    /// <summary>
    /// Turns a profile into faces: one strip per profile edge and the two side polygons. The
    /// profile's winding decides which way is out, so mirrored profiles need no separate care.
    /// </summary>
    private static ModelFace? Extrude(P[] profile, double hw, Bgr body, List<ModelFace> faces, Edge? facingEdge, out ModelFace[] sides)
    {
        double area = 0;
        for (int i = 0; i < profile.Length; i++)
        {
            P a = profile[i], b = profile[(i + 1) % profile.Length];
            area += (a.Z * b.Y) - (b.Z * a.Y);
        }

        double outward = area > 0 ? 1 : -1; // counter-clockwise in (z, y): the outward normal is (dy, -dz)
        ModelFace? facing = null;
        for (int i = 0; i < profile.Length; i++)
        {
            P a = profile[i], b = profile[(i + 1) % profile.Length];
            if (a.Edge == Edge.Hidden)
            {
                continue;
            }

            double dz = b.Z - a.Z, dy = b.Y - a.Y;
            var normal = new Vec3(0, -dz * outward, dy * outward).Normalized();
            Bgr colour = a.Edge switch { Edge.Glass => Glass, Edge.Under => Underside, _ => body };
            var face = new ModelFace([new(-hw, a.Y, a.Z), new(hw, a.Y, a.Z), new(hw, b.Y, b.Z), new(-hw, b.Y, b.Z)], normal, colour);
            faces.Add(face);
            if (a.Edge == facingEdge)
            {
                facing = face;
            }
        }

        sides = new ModelFace[2];
        for (int s = 0; s < 2; s++)
        {
            double x = s == 0 ? -hw : hw;
            var points = new Vec3[profile.Length];
            for (int i = 0; i < profile.Length; i++)
            {
                points[i] = new Vec3(x, profile[i].Y, profile[i].Z);
            }

            sides[s] = new ModelFace(points, new Vec3(Math.Sign(x), 0, 0), body);
            faces.Add(sides[s]);
        }

        return facing;
    }

    /// <summary>Reflects z so the rear end becomes the end at z = 0 (the one facing the camera).</summary>
    private static VehicleModel Mirror(VehicleModel m)
    {
        Vec3 Flip(Vec3 p) => new(p.X, p.Y, m.Length - p.Z);
        var faces = new List<ModelFace>();
        foreach (ModelFace f in m.Faces)
        {
            var mirrored = new ModelFace(Array.ConvertAll(f.Points, Flip), new Vec3(f.Normal.X, f.Normal.Y, -f.Normal.Z), f.Colour);
            foreach (ModelDecal d in f.Decals)
            {
                mirrored.Decals.Add(new ModelDecal(Array.ConvertAll(d.Points, Flip), d.Colour, d.Lamp));
            }

            faces.Add(mirrored);
        }

        return new VehicleModel(m.Kind, m.Length, m.HalfWidth, m.PlateY, faces);
    }

    private static ModelDecal Rect(double z, double x0, double x1, double y0, double y1, Bgr colour, LampKind lamp = LampKind.None) =>
        new([new(x0, y1, z), new(x1, y1, z), new(x1, y0, z), new(x0, y0, z)], colour, lamp);

    private static Vec3[] SideRect(double x, double z0, double z1, double y0, double y1) =>
        [new(x, y0, z0), new(x, y0, z1), new(x, y1, z1), new(x, y1, z0)];

    private static Vec3[] Disc(double x, double z, double y, double r)
    {
        var points = new Vec3[16];
        for (int i = 0; i < points.Length; i++)
        {
            double a = 2 * Math.PI * i / points.Length;
            points[i] = new Vec3(x, y + (r * Math.Sin(a)), z + (r * Math.Cos(a)));
        }

        return points;
    }

    /// <summary>The polygon pulled towards its centroid: a window inside its pillars.</summary>
    private static Vec3[] Inset(Vec3[] points, double by)
    {
        Vec3 c = default;
        foreach (Vec3 p in points)
        {
            c += p;
        }

        c *= 1.0 / points.Length;
        return Array.ConvertAll(points, p =>
        {
            Vec3 d = p - c;
            double len = Math.Sqrt((d.Y * d.Y) + (d.Z * d.Z));
            double k = len > by ? (len - by) / len : 0;
            return new Vec3(p.X + (0.005 * Math.Sign(p.X)), c.Y + (d.Y * k), c.Z + (d.Z * k));
        });
    }

    /// <summary>Side profiles, front at z = 0, in metres. Proportions of a small hatchback, a
    /// saloon, an SUV and a panel van.</summary>
    private static Spec SpecFor(VehicleKind kind) => kind switch
    {
        VehicleKind.Hatchback => new Spec(4.05, 0.88, 0.72,
            [new(0, 0.22, Edge.FrontEnd), new(0, 0.72, Edge.Panel), new(0.12, 0.82, Edge.Panel), new(1.15, 0.93, Edge.Panel),
             new(3.8, 0.98, Edge.Panel), new(4.05, 0.95, Edge.RearEnd), new(4.05, 0.25, Edge.Under), new(3.9, 0.18, Edge.Under),
             new(0.12, 0.18, Edge.Under)],
            [new(1.15, 0.93, Edge.Glass), new(1.95, 1.44, Edge.Panel), new(3.45, 1.47, Edge.Glass), new(3.98, 1.0, Edge.Hidden)]),
        VehicleKind.Saloon => new Spec(4.6, 0.89, 0.73,
            [new(0, 0.24, Edge.FrontEnd), new(0, 0.72, Edge.Panel), new(0.12, 0.82, Edge.Panel), new(1.2, 0.92, Edge.Panel),
             new(4.45, 1.02, Edge.Panel), new(4.6, 1.0, Edge.RearEnd), new(4.6, 0.28, Edge.Under), new(4.45, 0.2, Edge.Under),
             new(0.12, 0.2, Edge.Under)],
            [new(1.2, 0.92, Edge.Glass), new(2.0, 1.42, Edge.Panel), new(3.35, 1.45, Edge.Glass), new(4.05, 1.01, Edge.Hidden)]),
        VehicleKind.Suv => new Spec(4.5, 0.93, 0.78,
            [new(0, 0.34, Edge.FrontEnd), new(0, 0.92, Edge.Panel), new(0.12, 1.02, Edge.Panel), new(1.15, 1.1, Edge.Panel),
             new(4.35, 1.15, Edge.Panel), new(4.5, 1.12, Edge.RearEnd), new(4.5, 0.38, Edge.Under), new(4.35, 0.3, Edge.Under),
             new(0.12, 0.3, Edge.Under)],
            [new(1.15, 1.1, Edge.Glass), new(1.85, 1.68, Edge.Panel), new(4.0, 1.72, Edge.Glass), new(4.42, 1.16, Edge.Hidden)]),
        VehicleKind.Van => new Spec(5.2, 1.0, 0,
            [new(0, 0.32, Edge.FrontEnd), new(0, 0.95, Edge.Panel), new(0.55, 1.15, Edge.Glass), new(1.25, 2.05, Edge.Panel),
             new(1.45, 2.2, Edge.Panel), new(5.1, 2.24, Edge.Panel), new(5.2, 2.18, Edge.RearEnd), new(5.2, 0.36, Edge.Under),
             new(5.05, 0.3, Edge.Under), new(0.15, 0.3, Edge.Under)],
            null),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
