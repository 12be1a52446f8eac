using System.Numerics;
using EdgeAgent.SampleGen.Plates;
using EdgeAgent.SampleGen.Scene;

namespace EdgeAgent.SampleGen.Rendering;

/// <summary>Daylight from a sun behind-left of the camera, or the IR flood lamp of the camera at night.</summary>
internal sealed class SceneLight(bool night)
{
    private static readonly Vec3 Sun = new Vec3(-0.45, 1.0, -0.35).Normalized();

    public bool Night { get; } = night;

    /// <summary>Gain on the plate: in daylight a plate reads a little below its paint; at night the
    /// texture is already the IR look.</summary>
    public float PlateGain => Night ? 1f : 0.94f;

    public Bgr Surface(Bgr colour, Vec3 normal, Vec3 toCamera)
    {
        if (!Night)
        {
            return colour.Scale(0.58 + (0.42 * Math.Max(0, normal.Dot(Sun))));
        }

        // IR comes from the camera: surfaces facing it are lit; paint colour hardly matters in IR.
        double lit = 0.25 + (0.75 * Math.Max(0, normal.Dot(toCamera)));
        return Bgr.Grey(((colour.Luma * 0.3) + 8) * lit);
    }

    public Bgr Lamp(Bgr colour, LampKind kind) => !Night ? colour : kind switch
    {
        LampKind.Head => Bgr.Grey(252),
        LampKind.Tail => Bgr.Grey(150),
        _ => colour,
    };
}

/// <summary>
/// Draws one vehicle: its ground shadow, its visible faces far to near (back faces culled), each
/// face's details, then the plate warped onto the facing end.
/// </summary>
internal static class VehicleRenderer
{
    private static readonly Bgr ShadowColour = Bgr.Hex(0x0A0A0C);

    public static void Draw(Bgr24Frame frame, RoadsideCamera camera, VehiclePass pass, VehiclePose pose, PlateTexture plate, SceneLight light, PixelRect clip)
    {
        VehicleModel m = pass.Model;
        Span<Vector2> pts = stackalloc Vector2[64];
        if (!light.Night)
        {
            // Contact shadow: the footprint, a little larger, darkening the road beneath.
            double hw = m.HalfWidth + 0.12;
            ReadOnlySpan<Vec3> footprint = [new(-hw, 0.002, -0.1), new(hw, 0.002, -0.1), new(hw, 0.002, m.Length + 0.15), new(-hw, 0.002, m.Length + 0.15)];
            int n = VehicleGeometry.Project(camera, pose, footprint, pts);
            PolygonFiller.Fill(frame, pts[..n], ShadowColour, 0.55f, clip);
        }

        // Painter's order by face centre depth: enough for two convex-ish prisms seen from above.
        var order = new List<(double Depth, ModelFace Face, Vec3 Normal, Vec3 ToCamera)>(m.Faces.Count);
        foreach (ModelFace face in m.Faces)
        {
            Vec3 centre = default;
            foreach (Vec3 p in face.Points)
            {
                centre += p;
            }

            Vec3 world = pose.ToWorld(centre * (1.0 / face.Points.Length));
            Vec3 normal = pose.Rotate(face.Normal);
            Vec3 toCamera = (camera.Position - world).Normalized();
            if (normal.Dot(toCamera) > 0)
            {
                order.Add((camera.ToCamera(world).Z, face, normal, toCamera));
            }
        }

        order.Sort((a, b) => b.Depth.CompareTo(a.Depth));
        foreach ((_, ModelFace face, Vec3 normal, Vec3 toCamera) in order)
        {
            int n = VehicleGeometry.Project(camera, pose, face.Points, pts);
            PolygonFiller.Fill(frame, pts[..n], light.Surface(face.Colour, normal, toCamera), 1f, clip);
            foreach (ModelDecal decal in face.Decals)
            {
                n = VehicleGeometry.Project(camera, pose, decal.Points, pts);
                Bgr c = decal.Lamp == LampKind.None ? light.Surface(decal.Colour, normal, toCamera) : light.Lamp(decal.Colour, decal.Lamp);
                PolygonFiller.Fill(frame, pts[..n], c, 1f, clip);
            }
        }

        Span<Vector2> quad = stackalloc Vector2[4];
        if (VehicleGeometry.PlateQuad(camera, pass, pose, quad, out _))
        {
            PlateWarper.Draw(frame, plate, quad, light.PlateGain, clip);
        }
    }

    /// <summary>Frame positions and sizes of the headlamps facing the camera (for the night bloom).</summary>
    public static void HeadLamps(RoadsideCamera camera, VehiclePass pass, VehiclePose pose, List<(Vector2 Centre, float Size)> lamps)
    {
        Span<Vector2> pts = stackalloc Vector2[64];
        foreach (ModelFace face in pass.Model.Faces)
        {
            foreach (ModelDecal decal in face.Decals)
            {
                if (decal.Lamp != LampKind.Head)
                {
                    continue;
                }

                int n = VehicleGeometry.Project(camera, pose, decal.Points, pts);
                if (n < 3)
                {
                    continue;
                }

                Vector2 c = Vector2.Zero;
                float minX = float.MaxValue, maxX = float.MinValue;
                for (int i = 0; i < n; i++)
                {
                    c += pts[i];
                    minX = Math.Min(minX, pts[i].X);
                    maxX = Math.Max(maxX, pts[i].X);
                }

                lamps.Add((c / n, maxX - minX));
            }
        }
    }
}
