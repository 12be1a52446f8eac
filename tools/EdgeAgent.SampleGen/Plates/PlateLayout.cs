namespace EdgeAgent.SampleGen.Plates;

/// <summary>The DVLA registration layouts the generator can issue.</summary>
internal enum PlateLayout
{
    /// <summary>2001 onwards: 'AB12 CDE' (memory tag, age identifier, random letters).</summary>
    GbCurrent,

    /// <summary>1983-2001: 'A123 BCD' (year letter first).</summary>
    GbPrefix,

    /// <summary>1963-1983: 'ABC 123D' (year letter last).</summary>
    GbSuffix,

    /// <summary>Before 1963, or cherished: '1234 AB', 'ABC 123'.</summary>
    GbDateless,

    /// <summary>Northern Ireland: 'ABZ 1234' (the code contains I or Z).</summary>
    GbNi,
}

/// <summary>Which end of the vehicle carries the plate: white at the front, yellow at the rear.</summary>
internal enum PlateSide
{
    Front,
    Rear,
}

internal static class PlateNames
{
    public static string Name(this PlateLayout layout) => layout switch
    {
        PlateLayout.GbCurrent => "gb-current",
        PlateLayout.GbPrefix => "gb-prefix",
        PlateLayout.GbSuffix => "gb-suffix",
        PlateLayout.GbDateless => "gb-dateless",
        PlateLayout.GbNi => "gb-ni",
        _ => throw new ArgumentOutOfRangeException(nameof(layout)),
    };

    public static string Name(this PlateSide side) => side == PlateSide.Front ? "front" : "rear";
}

/// <summary>
/// A registration as printed: <see cref="Display"/> keeps the DVLA gap as one space (the renderer
/// turns it into the 33 mm group gap); <see cref="Text"/> is what the truth files carry.
/// </summary>
internal sealed record PlateText(string Display, PlateLayout Layout)
{
    public string Text => Display.Replace(" ", "", StringComparison.Ordinal);
}
