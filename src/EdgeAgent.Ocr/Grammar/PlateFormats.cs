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
        new("LDDDLLL", PlateLayout.GbPrefix, Gb),
        new("LDDLLL", PlateLayout.GbPrefix, Gb),
        new("LDLLL", PlateLayout.GbPrefix, Gb),
        new("LLLDDDL", PlateLayout.GbSuffix, Gb),
        new("LLLDDL", PlateLayout.GbSuffix, Gb),
        new("LLLDL", PlateLayout.GbSuffix, Gb),
        // Northern Ireland: three letters, the last two a county code holding I or Z, then up to four digits.
        new("LLLDDDD", PlateLayout.NorthernIreland, Gb, NorthernIrelandCode),
        new("LLLDDD", PlateLayout.NorthernIreland, Gb, NorthernIrelandCode),
        new("LLLDD", PlateLayout.NorthernIreland, Gb, NorthernIrelandCode),
        new("LLDDDD", PlateLayout.NorthernIreland, Gb, t => t[0] is 'I' or 'Z' || t[1] is 'I' or 'Z'),
        // Dateless: digits then letters, or letters then digits.
        new("DDDDLL", PlateLayout.GbDateless, Gb),
        new("DDDDL", PlateLayout.GbDateless, Gb),
        new("DDDLLL", PlateLayout.GbDateless, Gb),
        new("DDDLL", PlateLayout.GbDateless, Gb),
        new("DDLLL", PlateLayout.GbDateless, Gb),
        new("DLLL", PlateLayout.GbDateless, Gb),
        new("LLLDDD", PlateLayout.GbDateless, Gb),
        new("LLLDD", PlateLayout.GbDateless, Gb),
        new("LLDDDD", PlateLayout.GbDateless, Gb),
        new("LLDDD", PlateLayout.GbDateless, Gb),
        new("LDDDD", PlateLayout.GbDateless, Gb),
    ];

    public static readonly PlateFormat[] Europe =
    [
        new("LLDDDLL", PlateLayout.European, new CountryCode('S', 'K')),   // Slovakia: BA123AB
        new("DLDDDDD", PlateLayout.European, new CountryCode('C', 'Z')),   // Czechia: 1A23456
        new("DLLDDDD", PlateLayout.European, new CountryCode('C', 'Z')),
        new("LLDDDDD", PlateLayout.European, CountryCode.Unknown),          // Poland, Norway: WA12345, AB12345
        new("LLLDDDD", PlateLayout.European, CountryCode.Unknown),
        new("LLLDDLL", PlateLayout.European, CountryCode.Unknown),
    ];

    public static readonly PlateFormat[] UnitedStates =
    [
        new("DLLLDDD", PlateLayout.UnitedStates, CountryCode.UnitedStates),  // California: 7ABC123
        new("LLLDDDD", PlateLayout.UnitedStates, CountryCode.UnitedStates),  // ABC1234
        new("LLLDDD", PlateLayout.UnitedStates, CountryCode.UnitedStates),
        new("DDDLLL", PlateLayout.UnitedStates, CountryCode.UnitedStates),
    ];

    // US states issue almost any mix of 5-7 characters (vanity plates too): only a read known to be
    // from a US plate may fall back to these, or every garbage read would "fit".
    private static readonly PlateFormat[] UnitedStatesAnyShape =
    [
        .. UnitedStates,
        new("XXXXXXX", PlateLayout.UnitedStates, CountryCode.UnitedStates),
        new("XXXXXX", PlateLayout.UnitedStates, CountryCode.UnitedStates),
        new("XXXXX", PlateLayout.UnitedStates, CountryCode.UnitedStates),
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
