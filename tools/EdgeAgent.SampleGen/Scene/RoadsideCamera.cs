using System.Numerics;

namespace EdgeAgent.SampleGen.Scene;

/// <summary>
/// The fixed ANPR camera: a pinhole on a pole arm above the centre line of a two-lane, two-way road,
/// looking down the road. World axes: X across the road (to the right in the image), Y up, Z along
/// the road away from the camera; the ground is Y = 0 and the camera stands at X = 0, Z = 0.
/// </summary>
/// <remarks>
/// The numbers give ANPR geometry at 1080p: a plate is about 38 px tall where it enters the top of
/// the frame and 55-85 px where it leaves, depending on how far from the centre line it runs and how
/// high it is mounted. A camera cannot see a 90 px plate and a whole second lane at once (a 90 px
/// plate means the frame is 2.3 m wide at that distance), so two-lane frames have smaller plates.
/// </remarks>
internal sealed class RoadsideCamera
{
    public const double MountHeightM = 3.6;
    public const double PitchDegrees = 10.5;
    public const double FocalPxAt1080 = 9000;
    public const double NearClipM = 0.25;

    private readonly double _sin, _cos;

    public RoadsideCamera(int width, int height)
    {
        Width = width;
        Height = height;
        Focal = FocalPxAt1080 * height / 1080.0;
        Cx = width / 2.0;
        Cy = height / 2.0;
        _sin = Math.Sin(PitchDegrees * Math.PI / 180);
        _cos = Math.Cos(PitchDegrees * Math.PI / 180);
    }

    public int Width { get; }

    public int Height { get; }

    public double Focal { get; }

    public double Cx { get; }

    public double Cy { get; }

    public Vec3 Position => new(0, MountHeightM, 0);

    /// <summary>World to camera coordinates: X right, Y up, Z forward (depth).</summary>
    public Vec3 ToCamera(Vec3 world)
    {
        double dx = world.X, dy = world.Y - MountHeightM, dz = world.Z;
        return new Vec3(dx, (dy * _cos) + (dz * _sin), (-dy * _sin) + (dz * _cos));
    }

    /// <summary>Camera coordinates (depth above <see cref="NearClipM"/>) to frame pixels.</summary>
    public Vector2 Project(Vec3 cam) =>
        new((float)(Cx + (Focal * cam.X / cam.Z)), (float)(Cy - (Focal * cam.Y / cam.Z)));

    /// <summary>Where the ray through frame point (u, v) meets the ground, if it does.</summary>
    public bool GroundAt(double u, double v, out double x, out double z)
    {
        // Ray direction in camera coordinates, then rotated back into the world.
        double rx = (u - Cx) / Focal, ry = (Cy - v) / Focal, rz = 1;
        double wy = (ry * _cos) - (rz * _sin);
        double wz = (ry * _sin) + (rz * _cos);
        if (wy >= -1e-9)
        {
            x = z = 0;
            return false;
        }

        double t = -MountHeightM / wy;
        x = rx * t;
        z = wz * t;
        return true;
    }
}
