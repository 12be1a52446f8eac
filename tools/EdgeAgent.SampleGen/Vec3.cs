namespace EdgeAgent.SampleGen;

/// <summary>A world or camera point in metres. Doubles: the scene is small, but plate corners are
/// projected through a 4000 px focal length, where float rounding would show as jitter.</summary>
internal readonly record struct Vec3(double X, double Y, double Z)
{
    public static readonly Vec3 UnitY = new(0, 1, 0);

    public static Vec3 operator +(Vec3 a, Vec3 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);

    public static Vec3 operator -(Vec3 a, Vec3 b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);

    public static Vec3 operator -(Vec3 a) => new(-a.X, -a.Y, -a.Z);

    public static Vec3 operator *(Vec3 a, double s) => new(a.X * s, a.Y * s, a.Z * s);

    public static Vec3 operator *(double s, Vec3 a) => new(a.X * s, a.Y * s, a.Z * s);

    public double Dot(Vec3 b) => (X * b.X) + (Y * b.Y) + (Z * b.Z);

    public Vec3 Cross(Vec3 b) => new((Y * b.Z) - (Z * b.Y), (Z * b.X) - (X * b.Z), (X * b.Y) - (Y * b.X));

    public double Length => Math.Sqrt(Dot(this));

    public Vec3 Normalized() => this * (1.0 / Length);
}

/// <summary>An integer pixel rectangle, right and bottom exclusive.</summary>
internal readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;

    public int Bottom => Y + Height;

    public bool IsEmpty => Width <= 0 || Height <= 0;

    public static PixelRect FromBounds(int left, int top, int right, int bottom) =>
        new(left, top, Math.Max(0, right - left), Math.Max(0, bottom - top));

    /// <summary>The smallest integer rectangle that holds a float bounding box.</summary>
    public static PixelRect Enclosing(double minX, double minY, double maxX, double maxY) =>
        FromBounds((int)Math.Floor(minX), (int)Math.Floor(minY), (int)Math.Ceiling(maxX), (int)Math.Ceiling(maxY));

    public PixelRect Intersect(PixelRect o) =>
        FromBounds(Math.Max(X, o.X), Math.Max(Y, o.Y), Math.Min(Right, o.Right), Math.Min(Bottom, o.Bottom));

    public PixelRect Union(PixelRect o) =>
        IsEmpty ? o : o.IsEmpty ? this
        : FromBounds(Math.Min(X, o.X), Math.Min(Y, o.Y), Math.Max(Right, o.Right), Math.Max(Bottom, o.Bottom));

    public PixelRect Inflate(int by) => new(X - by, Y - by, Width + (2 * by), Height + (2 * by));

    public bool Intersects(PixelRect o) => !Intersect(o).IsEmpty;
}
