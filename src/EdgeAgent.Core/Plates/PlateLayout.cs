namespace EdgeAgent.Core.Plates;

/// <summary>
/// The registration layout a read matched. Stored in the outbox and sent as a string: the numeric values
/// are persisted and must never change; only add new ones.
/// </summary>
public enum PlateLayout
{
    Unknown = 0,
    /// <summary>GB current format since 2001: AB12 CDE.</summary>
    GbCurrent = 1,
    /// <summary>GB prefix format 1983-2001: A123 BCD.</summary>
    GbPrefix = 2,
    /// <summary>GB suffix format 1963-1983: ABC 123D.</summary>
    GbSuffix = 3,
    /// <summary>GB dateless: 1234 AB, ABC 123 and the like.</summary>
    GbDateless = 4,
    /// <summary>Northern Ireland: ABZ 1234 (two letters I or Z included).</summary>
    NorthernIreland = 5,
    /// <summary>A European format (country from the pattern, or the configured default).</summary>
    European = 6,
    /// <summary>A US state format.</summary>
    UnitedStates = 7,
}

public static class PlateLayoutNames
{
    /// <summary>The contract's string for a layout (MQTT v1 <c>layout</c> field).</summary>
    public static string ToContractName(this PlateLayout layout) => layout switch
    {
        PlateLayout.GbCurrent => "gb-current",
        PlateLayout.GbPrefix => "gb-prefix",
        PlateLayout.GbSuffix => "gb-suffix",
        PlateLayout.GbDateless => "gb-dateless",
        PlateLayout.NorthernIreland => "gb-ni",
        PlateLayout.European => "eu",
        PlateLayout.UnitedStates => "us",
        _ => "unknown",
    };

    public static PlateLayout FromContractName(string name) => name switch
    {
        "gb-current" => PlateLayout.GbCurrent,
        "gb-prefix" => PlateLayout.GbPrefix,
        "gb-suffix" => PlateLayout.GbSuffix,
        "gb-dateless" => PlateLayout.GbDateless,
        "gb-ni" => PlateLayout.NorthernIreland,
        "eu" => PlateLayout.European,
        "us" => PlateLayout.UnitedStates,
        _ => PlateLayout.Unknown,
    };
}
