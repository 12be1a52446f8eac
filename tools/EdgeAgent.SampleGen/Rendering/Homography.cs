using System.Numerics;

namespace EdgeAgent.SampleGen.Rendering;

/// <summary>
/// A 3x3 projective map. A flat plate seen through a pinhole camera is exactly a homography of the
/// unit square, so warping with one is not an approximation of the 3D view, it is the 3D view.
/// </summary>
internal readonly struct Homography(double m00, double m01, double m02, double m10, double m11, double m12, double m20, double m21, double m22)
{
    public double M00 { get; } = m00;
    public double M01 { get; } = m01;
    public double M02 { get; } = m02;
    public double M10 { get; } = m10;
    public double M11 { get; } = m11;
    public double M12 { get; } = m12;
    public double M20 { get; } = m20;
    public double M21 { get; } = m21;
    public double M22 { get; } = m22;

    /// <summary>Maps (0,0), (1,0), (1,1), (0,1) to q0..q3 (Heckbert's square-to-quad).</summary>
    public static Homography UnitSquareToQuad(Vector2 q0, Vector2 q1, Vector2 q2, Vector2 q3)
    {
        double sx = q0.X - q1.X + q2.X - q3.X, sy = q0.Y - q1.Y + q2.Y - q3.Y;
        double dx1 = q1.X - q2.X, dx2 = q3.X - q2.X, dy1 = q1.Y - q2.Y, dy2 = q3.Y - q2.Y;
        double den = (dx1 * dy2) - (dx2 * dy1);
        double g = Math.Abs(den) < 1e-12 ? 0 : ((sx * dy2) - (dx2 * sy)) / den;
        double h = Math.Abs(den) < 1e-12 ? 0 : ((dx1 * sy) - (sx * dy1)) / den;
        return new Homography(
            q1.X - q0.X + (g * q1.X), q3.X - q0.X + (h * q3.X), q0.X,
            q1.Y - q0.Y + (g * q1.Y), q3.Y - q0.Y + (h * q3.Y), q0.Y,
            g, h, 1);
    }

    public Homography Inverse()
    {
        double a = (M11 * M22) - (M12 * M21), b = (M12 * M20) - (M10 * M22), c = (M10 * M21) - (M11 * M20);
        double det = (M00 * a) + (M01 * b) + (M02 * c);
        double k = 1.0 / det;
        return new Homography(
            a * k, ((M02 * M21) - (M01 * M22)) * k, ((M01 * M12) - (M02 * M11)) * k,
            b * k, ((M00 * M22) - (M02 * M20)) * k, ((M02 * M10) - (M00 * M12)) * k,
            c * k, ((M01 * M20) - (M00 * M21)) * k, ((M00 * M11) - (M01 * M10)) * k);
    }
}
