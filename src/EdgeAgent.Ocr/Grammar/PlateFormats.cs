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

    // The DVLA's rules, as far as they tell a misread apart: serial letters are never I or Q ('C'), year
    // letters never I, O, Q, U or Z ('Y'), numbers never start with a zero, and the current format's age
    // identifier is 02-49 (March) or 51-99 (September), already issued. A read of CO52DND with a sure 0 no longer fits the
    // prefix format as C052DND, and an O read as Q is a letter the format does not issue.
    public static readonly PlateFormat[] GreatBritain =
    [
        new("CCDDCCC", PlateLayout.GbCurrent, Gb, 0f, CurrentAge),
        new("YDDDCCC", PlateLayout.GbPrefix, Gb, 1.0f, NoLeadingZero),
        new("YDDCCC", PlateLayout.GbPrefix, Gb, 1.0f, NoLeadingZero),
        new("YDCCC", PlateLayout.GbPrefix, Gb, 1.0f, NoLeadingZero),
        new("CCCDDDY", PlateLayout.GbSuffix, Gb, 1.2f, NoLeadingZero),
        new("CCCDDY", PlateLayout.GbSuffix, Gb, 1.2f, NoLeadingZero),
        new("CCCDY", PlateLayout.GbSuffix, Gb, 1.2f, NoLeadingZero),
        // Northern Ireland: three letters, the last two a county code holding I or Z, then up to four digits.
        new("LLLDDDD", PlateLayout.NorthernIreland, Gb, 1.0f, NorthernIreland),
        new("LLLDDD", PlateLayout.NorthernIreland, Gb, 1.0f, NorthernIreland),
        new("LLLDD", PlateLayout.NorthernIreland, Gb, 1.0f, NorthernIreland),
        new("LLLD", PlateLayout.NorthernIreland, Gb, 1.0f, NorthernIreland),
        new("LLDDDD", PlateLayout.NorthernIreland, Gb, 1.0f, t => (t[0] is 'I' or 'Z' || t[1] is 'I' or 'Z') && NoLeadingZero(t)),
        // Dateless: digits then letters, or letters then digits.
        new("DDDDCC", PlateLayout.GbDateless, Gb, 1.5f, NoLeadingZero),
        new("DDDDC", PlateLayout.GbDateless, Gb, 1.5f, NoLeadingZero),
        new("DDDCCC", PlateLayout.GbDateless, Gb, 1.5f, NoLeadingZero),
        new("DDDCC", PlateLayout.GbDateless, Gb, 1.5f, NoLeadingZero),
        new("DDCCC", PlateLayout.GbDateless, Gb, 1.5f, NoLeadingZero),
        new("DCCC", PlateLayout.GbDateless, Gb, 1.5f, NoLeadingZero),
        new("CCCDDD", PlateLayout.GbDateless, Gb, 1.5f, NoLeadingZero),
        new("CCCDD", PlateLayout.GbDateless, Gb, 1.5f, NoLeadingZero),
        new("CCDDDD", PlateLayout.GbDateless, Gb, 1.5f, NoLeadingZero),
        new("CCDDD", PlateLayout.GbDateless, Gb, 1.5f, NoLeadingZero),
        new("CDDDD", PlateLayout.GbDateless, Gb, 1.5f, NoLeadingZero),
        // The short ones (three or four characters) are rarer, and short enough that a broken read could fit them.
        new("DDDC", PlateLayout.GbDateless, Gb, 2.0f, NoLeadingZero),
        new("DDCC", PlateLayout.GbDateless, Gb, 2.0f, NoLeadingZero),
        new("DDC", PlateLayout.GbDateless, Gb, 2.0f, NoLeadingZero),
        new("DCC", PlateLayout.GbDateless, Gb, 2.0f, NoLeadingZero),
        new("CCCD", PlateLayout.GbDateless, Gb, 2.0f, NoLeadingZero),
        new("CCDD", PlateLayout.GbDateless, Gb, 2.0f, NoLeadingZero),
        new("CCD", PlateLayout.GbDateless, Gb, 2.0f, NoLeadingZero),
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
        new("LLDLDL", PlateLayout.UnitedStates, CountryCode.UnitedStates, 1.2f),   // AB1C2D: 23 of plates-dev's 110 US labels
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

    private static bool NorthernIreland(ReadOnlySpan<char> text) => (text[1] is 'I' or 'Z' || text[2] is 'I' or 'Z') && NoLeadingZero(text);

    // A GB number (1-9999) never starts with a zero.
    private static bool NoLeadingZero(ReadOnlySpan<char> text)
    {
        for (int i = 0; i < text.Length; i++)
            if (text[i] == '0' && (i == 0 || !char.IsAsciiDigit(text[i - 1]))) return false;
        return true;
    }

    // The current format's age identifier: the year of a March issue (02-49) or the year + 50 of a September
    // issue (51-99); there was never a 00, 01 or 50, and never one not yet issued. A Slovak RK300AS read with
    // a sure O (RK30OAS) fitted the current format with a 30 that will not exist before March 2030.
    private static bool CurrentAge(ReadOnlySpan<char> text)
    {
        int age = ((text[2] - '0') * 10) + (text[3] - '0');
        if (age is 0 or 1 or 50) return false;
        return age < 50 ? age <= Issued.March : age <= Issued.September;
    }

    // Declared before Issued: static fields initialise in the order they are written.
    private static readonly DateTime ThisBuildsDate = new(2026, 11, 24, 0, 0, 0, DateTimeKind.Utc);
    private static readonly (int March, int September) Issued = IssuedBy(DateTime.UtcNow);

    /// <summary>
    /// The latest March and September age identifiers issued by a date (26 and 76 from September 2026). Never
    /// below those: a unit whose clock lost the date after a power cut must still read today's plates.
    /// </summary>
    public static (int March, int September) IssuedBy(DateTime now)
    {
        if (now < ThisBuildsDate) now = ThisBuildsDate;
        int year = Math.Min(now.Year, 2049) % 100;   // the scheme runs out in 2050
        int march = now.Month >= 3 ? year : year - 1;
        int september = (now.Month >= 9 ? year : year - 1) + 50;
        return (march, september);
    }
}
