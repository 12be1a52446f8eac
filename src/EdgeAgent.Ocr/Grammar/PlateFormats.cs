using EdgeAgent.Core.Plates;

namespace EdgeAgent.Ocr.Grammar;

/// <summary>
/// The formats each scope tries, most specific first (ties in correction cost go to the earlier one).
/// GB: DVLA current, prefix, suffix, Northern Ireland and dateless. Europe and US: the common shapes of
/// the countries in the development photos; a plate outside them stays raw and flagged.
/// </summary>
public static class PlateFormats
{
    private static readonly CountryCode Gb = CountryCode.GreatBritain;

    public static readonly PlateFormat[] GreatBritain =
    [
        new("LLDDLLL", PlateLayout.GbCurrent, Gb),
        new("LDDDLLL", PlateLayout.GbPrefix, Gb, 1.0f),
        new("LDDLLL", PlateLayout.GbPrefix, Gb, 1.0f),
        new("LDLLL", PlateLayout.GbPrefix, Gb, 1.0f),
        new("LLLDDDL", PlateLayout.GbSuffix, Gb, 1.2f),
        new("LLLDDL", PlateLayout.GbSuffix, Gb, 1.2f),
        new("LLLDL", PlateLayout.GbSuffix, Gb, 1.2f),
        // Northern Ireland: three letters, the last two a county code holding I or Z, then up to four digits.
        new("LLLDDDD", PlateLayout.NorthernIreland, Gb, 1.0f, NorthernIrelandCode),
        new("LLLDDD", PlateLayout.NorthernIreland, Gb, 1.0f, NorthernIrelandCode),
        new("LLLDD", PlateLayout.NorthernIreland, Gb, 1.0f, NorthernIrelandCode),
        new("LLDDDD", PlateLayout.NorthernIreland, Gb, 1.0f, t => t[0] is 'I' or 'Z' || t[1] is 'I' or 'Z'),
        // Dateless: digits then letters, or letters then digits.
        new("DDDDLL", PlateLayout.GbDateless, Gb, 1.5f),
        new("DDDDL", PlateLayout.GbDateless, Gb, 1.5f),
        new("DDDLLL", PlateLayout.GbDateless, Gb, 1.5f),
        new("DDDLL", PlateLayout.GbDateless, Gb, 1.5f),
        new("DDLLL", PlateLayout.GbDateless, Gb, 1.5f),
        new("DLLL", PlateLayout.GbDateless, Gb, 1.5f),
        new("LLLDDD", PlateLayout.GbDateless, Gb, 1.5f),
        new("LLLDD", PlateLayout.GbDateless, Gb, 1.5f),
        new("LLDDDD", PlateLayout.GbDateless, Gb, 1.5f),
        new("LLDDD", PlateLayout.GbDateless, Gb, 1.5f),
        new("LDDDD", PlateLayout.GbDateless, Gb, 1.5f),
    ];

    public static readonly PlateFormat[] Europe =
    [
        new("LLDDDLL", PlateLayout.European, new CountryCode('S', 'K'), 1.2f),   // Slovakia: BA123AB
        new("DLDDDDD", PlateLayout.European, new CountryCode('C', 'Z'), 1.2f),   // Czechia: 1A23456
        new("DLLDDDD", PlateLayout.European, new CountryCode('C', 'Z'), 1.2f),
        new("LLDDDDD", PlateLayout.European, CountryCode.Unknown, 1.2f),          // Poland, Norway: WA12345, AB12345
        new("LLLDDDD", PlateLayout.European, CountryCode.Unknown, 1.2f),
        new("LLLDDLL", PlateLayout.European, CountryCode.Unknown, 1.2f),
    ];

    public static readonly PlateFormat[] UnitedStates =
    [
        new("DLLLDDD", PlateLayout.UnitedStates, CountryCode.UnitedStates, 1.2f),  // California: 7ABC123
        new("LLLDDDD", PlateLayout.UnitedStates, CountryCode.UnitedStates, 1.2f),  // ABC1234
        new("LLLDDD", PlateLayout.UnitedStates, CountryCode.UnitedStates, 1.2f),
        new("DDDLLL", PlateLayout.UnitedStates, CountryCode.UnitedStates, 1.2f),
    ];

    // US states issue almost any mix of 5-7 characters (vanity plates too): only a read known to be
    // from a US plate may fall back to these, or every garbage read would "fit".
    private static readonly PlateFormat[] UnitedStatesAnyShape =
    [
        .. UnitedStates,
        new("XXXXXXX", PlateLayout.UnitedStates, CountryCode.UnitedStates, 2.0f),
        new("XXXXXX", PlateLayout.UnitedStates, CountryCode.UnitedStates, 2.0f),
        new("XXXXX", PlateLayout.UnitedStates, CountryCode.UnitedStates, 2.0f),
    ];

    private static readonly PlateFormat[] All = [.. GreatBritain, .. Europe, .. UnitedStates];

    public static ReadOnlySpan<PlateFormat> For(GrammarScope scope) => scope switch
    {
        GrammarScope.GreatBritain => GreatBritain,
        GrammarScope.Europe => Europe,
        GrammarScope.UnitedStates => UnitedStatesAnyShape,
        _ => All,
    };

    private static bool NorthernIrelandCode(ReadOnlySpan<char> text) => text[1] is 'I' or 'Z' || text[2] is 'I' or 'Z';
}
