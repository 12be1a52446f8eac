using System.Numerics;
using EdgeAgent.SampleGen.Plates;

namespace EdgeAgent.SampleGen.Scene;

/// <summary>Where a vehicle stands: the centre of its facing end on the road, and its axes.</summary>
internal readonly record struct VehiclePose(Vec3 Origin, Vec3 Right, Vec3 Along)
{
    public Vec3 ToWorld(Vec3 local) => Origin + (Right * local.X) + (Vec3.UnitY * local.Y) + (Along * local.Z);

    public Vec3 Rotate(Vec3 direction) => (Right * direction.X) + (Vec3.UnitY * direction.Y) + (Along * direction.Z);
}

/// <summary>Projection of vehicles and plates into the frame: shared by the renderer and by the
/// ground truth, so the truth boxes are computed from exactly the quad that is drawn.</summary>
internal static class VehicleGeometry
{
    private const double PlateHalfWidthM = PlateRenderer.WidthMm / 2000.0;
    private const double PlateHalfHeightM = PlateRenderer.HeightMm / 2000.0;

    /// <summary>
    /// Projects a local polygon into the frame, clipped against the camera's near plane (a vehicle
    /// passing beside the camera has corners behind it). <paramref name="output"/> needs twice the
    /// input length; returns the number of points written.
    /// </summary>
    public static int Project(RoadsideCamera camera, VehiclePose pose, ReadOnlySpan<Vec3> local, Span<Vector2> output)
    {
        int n = 0;
        Vec3 prev = camera.ToCamera(pose.ToWorld(local[^1]));
        for (int i = 0; i < local.Length; i++)
        {
            Vec3 cur = camera.ToCamera(pose.ToWorld(local[i]));
            bool prevIn = prev.Z >= RoadsideCamera.NearClipM, curIn = cur.Z >= RoadsideCamera.NearClipM;
            if (prevIn != curIn)
            {
                double t = (RoadsideCamera.NearClipM - prev.Z) / (cur.Z - prev.Z);
                output[n++] = camera.Project(prev + ((cur - prev) * t));
            }

            if (curIn)
            {
                output[n++] = camera.Project(cur);
            }

            prev = cur;
        }

        return n;
    }

    /// <summary>The frame-space bounding box of the whole vehicle (unclipped to the frame) and the
    /// depth of its nearest point; false when no part is in front of the camera.</summary>
    public static bool Bounds(RoadsideCamera camera, VehicleModel model, VehiclePose pose, out PixelRect box, out double nearestDepth)
    {
        Span<Vector2> pts = stackalloc Vector2[64];
        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        nearestDepth = double.MaxValue;
        foreach (ModelFace face in model.Faces)
        {
            int n = Project(camera, pose, face.Points, pts);
            for (int i = 0; i < n; i++)
            {
                minX = Math.Min(minX, pts[i].X);
                maxX = Math.Max(maxX, pts[i].X);
                minY = Math.Min(minY, pts[i].Y);
                maxY = Math.Max(maxY, pts[i].Y);
            }

            foreach (Vec3 p in face.Points)
            {
                nearestDepth = Math.Min(nearestDepth, camera.ToCamera(pose.ToWorld(p)).Z);
            }
        }

        // Clamp before converting: a point just past the near plane projects millions of pixels out.
        box = minX > maxX ? default : PixelRect.Enclosing(
            Math.Clamp(minX, -1e6, 1e6), Math.Clamp(minY, -1e6, 1e6), Math.Clamp(maxX, -1e6, 1e6), Math.Clamp(maxY, -1e6, 1e6));
        return minX <= maxX;
    }

    /// <summary>
    /// The plate's corners in the frame (top-left, top-right, bottom-right, bottom-left as the
    /// camera sees them) and the depth of its centre; false if the plate is behind the near plane
    /// or turned away from the camera.
    /// </summary>
    public static bool PlateQuad(RoadsideCamera camera, VehiclePass pass, VehiclePose pose, Span<Vector2> quad, out double depth)
    {
        // The plate turned about the vertical (an angled bumper), then tilted in its own plane; it
        // stands far enough off the face that its turned edge does not sink into the body.
        double cy = Math.Cos(pass.PlateYaw), sy = Math.Sin(pass.PlateYaw), cr = Math.Cos(pass.Roll), sr = Math.Sin(pass.Roll);
        var centre = new Vec3(0, pass.Model.PlateY, -VehicleModel.PlateStandOffM - (PlateHalfWidthM * Math.Abs(sy)));
        var across = new Vec3(cy, 0, sy);
        Vec3 right = ((across * cr) + (Vec3.UnitY * sr)) * PlateHalfWidthM;
        Vec3 up = ((across * -sr) + (Vec3.UnitY * cr)) * PlateHalfHeightM;
        Vec3 worldCentre = pose.ToWorld(centre);
        Vec3 normal = pose.Rotate(new Vec3(0, 0, -1));
        depth = camera.ToCamera(worldCentre).Z;
        if (normal.Dot(camera.Position - worldCentre) <= 0)
        {
            return false;
        }

        ReadOnlySpan<Vec3> corners = [centre - right + up, centre + right + up, centre + right - up, centre - right - up];
        for (int i = 0; i < 4; i++)
        {
            Vec3 cam = camera.ToCamera(pose.ToWorld(corners[i]));
            if (cam.Z < RoadsideCamera.NearClipM)
            {
                return false;
            }

            quad[i] = camera.Project(cam);
        }

        return true;
    }

    public static PixelRect QuadBox(ReadOnlySpan<Vector2> quad)
    {
        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        foreach (Vector2 p in quad)
        {
            minX = Math.Min(minX, p.X);
            maxX = Math.Max(maxX, p.X);
            minY = Math.Min(minY, p.Y);
            maxY = Math.Max(maxY, p.Y);
        }

        return PixelRect.Enclosing(minX, minY, maxX, maxY);
    }

    /// <summary>The whole quad lies inside the frame.</summary>
    public static bool InsideFrame(ReadOnlySpan<Vector2> quad, int width, int height)
    {
        foreach (Vector2 p in quad)
        {
            if (p.X < 0 || p.Y < 0 || p.X > width || p.Y > height)
            {
                return false;
            }
        }

        return true;
    }
}
