using EdgeAgent.SampleGen.Rendering;

namespace EdgeAgent.SampleGen.Scene;

internal enum VehicleKind
{
    Hatchback,
    Saloon,
    Suv,
    Van,
}

/// <summary>Lamps matter at night: headlamps facing the camera bloom in the IR image.</summary>
internal enum LampKind
{
    None,
    Head,
    Tail,
}

/// <summary>A flat detail lying on a face (lamp, grille, window, wheel), drawn right after it.</summary>
internal sealed class ModelDecal(Vec3[] points, Bgr colour, LampKind lamp)
{
    public Vec3[] Points { get; } = points;

    public Bgr Colour { get; } = colour;

    public LampKind Lamp { get; } = lamp;
}

/// <summary>A planar polygon of the body with its outward normal (for culling and shading).</summary>
internal sealed class ModelFace(Vec3[] points, Vec3 normal, Bgr colour)
{
    public Vec3[] Points { get; } = points;

    public Vec3 Normal { get; } = normal;

    public Bgr Colour { get; } = colour;

    public List<ModelDecal> Decals { get; } = [];
}

/// <summary>
/// A vehicle in its own frame: x across (right as the camera sees it), y up, z along the body
/// with z = 0 at the end facing the camera, where the plate is. Putting the visible end at z = 0
/// for both front and rear passes means the plate and pose code never ask which end it is.
/// </summary>
internal sealed class VehicleModel(VehicleKind kind, double length, double halfWidth, double plateY, List<ModelFace> faces)
{
    public VehicleKind Kind { get; } = kind;

    public double Length { get; } = length;

    public double HalfWidth { get; } = halfWidth;

    /// <summary>Height of the plate's centre above the road, metres.</summary>
    public double PlateY { get; } = plateY;

    /// <summary>Distance of the plate in front of the facing face (it sits proud of the bumper).</summary>
    public const double PlateStandOffM = 0.012;

    public IReadOnlyList<ModelFace> Faces { get; } = faces;
}
