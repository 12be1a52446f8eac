namespace EdgeAgent.Core.Profiles;

/// <summary>
/// What a camera model delivers and where plates appear in its picture. One JSON file per model in
/// hardware-profiles/; loaded and validated by <see cref="HardwareProfileLoader"/>.
/// </summary>
public sealed record HardwareProfile
{
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    public required int Width { get; init; }
    public required int Height { get; init; }
    public required double Fps { get; init; }
    /// <summary>An infrared (monochrome, retroreflective plates) camera rather than a colour one.</summary>
    public bool Infrared { get; init; }
    /// <summary>How the camera is reached: "file", "rtsp", "v4l2" (documentation and doctor hints).</summary>
    public string Transport { get; init; } = "rtsp";
    public required PlateSize PlateHeightPx { get; init; }
    public required Region Roi { get; init; }
    public required IReadOnlyList<Lane> Lanes { get; init; }
    /// <summary>Serial inputs wired to this unit (vehicle trigger, GPS); none by default.</summary>
    public SerialInputs Serial { get; init; } = SerialInputs.None;

    /// <summary>Static privacy masks (pavements, windows): filled solid in every image kept as evidence.</summary>
    public IReadOnlyList<PrivacyMaskPolygon> PrivacyMasks { get; init; } = [];

    /// <summary>The lane whose span holds the given x, or the first lane.</summary>
    public Lane LaneAt(float x)
    {
        foreach (Lane lane in Lanes)
            if (x >= lane.XMin && x < lane.XMax) return lane;
        return Lanes[0];
    }
}

/// <summary>Expected plate height range, in pixels of the full frame.</summary>
public sealed record PlateSize(int Min, int Max);

/// <summary>A rectangle in frame pixels.</summary>
public sealed record Region(int X, int Y, int Width, int Height);

/// <summary>A traffic lane: the horizontal span of the frame it covers and its direction of travel.</summary>
public sealed record Lane(string Name, string Direction, int XMin, int XMax);

/// <summary>A polygon in frame pixels that is blacked out in every kept image.</summary>
public sealed record PrivacyMaskPolygon(string Name, IReadOnlyList<(float X, float Y)> Points);
