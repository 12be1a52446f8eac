using System.Globalization;

namespace EdgeAgent.SampleGen.Plates;

/// <summary>Random registrations that follow the DVLA rules for each layout closely enough that a
/// plate grammar written from those rules accepts every one of them.</summary>
internal static class PlateTextGenerator
{
    // I and Q are never issued in the current format's memory tag or random letters; Z is not a
    // memory-tag letter but is allowed in the random letters.
    private const string CurrentRandomLetters = "ABCDEFGHJKLMNOPRSTUVWXYZ";
    private const string CurrentTagSecondLetters = "ABCDEFGHJKLMNOPRSTUVWXY";

    // DVLA region letters (Anglia, Birmingham, Cymru, Deeside, Essex, Forest and Fens, Garden of
    // England, Hampshire, Milton Keynes, London, Manchester, North, Oxford, Preston, Reading,
    // Scotland, Severn Valley, West of England, Yorkshire).
    private const string CurrentRegionLetters = "ABCDEFGHKLMNOPRSVWY";

    // Older GB letters: I and Z belong to Northern Ireland, Q to vehicles of unknown age.
    private const string GbLetters = "ABCDEFGHJKLMNOPRSTUVWXY";

    // Year letters of the prefix and suffix series skip I, O, Q, U and Z.
    private const string YearLetters = "ABCDEFGHJKLMNPRSTVWXY";

    private static readonly string[] NiCodes =
    [
        "AZ", "BZ", "CZ", "DZ", "EZ", "FZ", "GZ", "HZ", "IA", "IB", "IG", "IJ", "IL", "IW", "JZ",
        "KZ", "LZ", "MZ", "NZ", "OI", "OZ", "PZ", "RZ", "SZ", "TZ", "UI", "UZ", "VZ", "WZ", "XI",
        "XZ", "YZ",
    ];

    public static PlateText Generate(PlateLayout layout, SeededRandom rng) => layout switch
    {
        PlateLayout.GbCurrent => Current(rng),
        PlateLayout.GbPrefix => Prefix(rng),
        PlateLayout.GbSuffix => Suffix(rng),
        PlateLayout.GbDateless => Dateless(rng),
        PlateLayout.GbNi => NorthernIreland(rng),
        _ => throw new ArgumentOutOfRangeException(nameof(layout)),
    };

    /// <summary>'AB12 CDE'. The age identifier is the year (March issue) or the year + 50
    /// (September issue): 51 (2001) up to 25 and 75 (2025).</summary>
    private static PlateText Current(SeededRandom rng)
    {
        int year = rng.Next(1, 26);
        bool september = rng.Chance(0.5);
        int age = september ? year + 50 : year;
        if (age == 1)
        {
            age = 51; // the series began in September 2001: there is no '01'
        }

        string tag = $"{rng.Pick(CurrentRegionLetters)}{rng.Pick(CurrentTagSecondLetters)}";
        string random = $"{rng.Pick(CurrentRandomLetters)}{rng.Pick(CurrentRandomLetters)}{rng.Pick(CurrentRandomLetters)}";
        return new PlateText($"{tag}{age.ToString("00", CultureInfo.InvariantCulture)} {random}", PlateLayout.GbCurrent);
    }

    /// <summary>'A123 BCD': year letter, 1 to 999, three letters.</summary>
    private static PlateText Prefix(SeededRandom rng) =>
        new($"{rng.Pick(YearLetters)}{Number(rng, 3)} {Letters(rng, GbLetters, 3)}", PlateLayout.GbPrefix);

    /// <summary>'ABC 123D': three letters, 1 to 999, year letter.</summary>
    private static PlateText Suffix(SeededRandom rng) =>
        new($"{Letters(rng, GbLetters, 3)} {Number(rng, 3)}{rng.Pick(YearLetters)}", PlateLayout.GbSuffix);

    /// <summary>'1234 AB' or 'ABC 123' (and the shorter forms of each).</summary>
    private static PlateText Dateless(SeededRandom rng) => rng.Chance(0.5)
        ? new PlateText($"{Number(rng, 4)} {Letters(rng, GbLetters, rng.Next(1, 3))}", PlateLayout.GbDateless)
        : new PlateText($"{Letters(rng, GbLetters, rng.Next(2, 4))} {Number(rng, 3)}", PlateLayout.GbDateless);

    /// <summary>'ABZ 1234': a letter, a Northern Ireland code (it holds I or Z), 1 to 9999.</summary>
    private static PlateText NorthernIreland(SeededRandom rng) =>
        new($"{rng.Pick(GbLetters)}{rng.Pick(NiCodes)} {Number(rng, 4)}", PlateLayout.GbNi);

    private static string Letters(SeededRandom rng, string alphabet, int count)
    {
        Span<char> chars = stackalloc char[count];
        for (int i = 0; i < count; i++)
        {
            chars[i] = rng.Pick(alphabet);
        }

        return new string(chars);
    }

    /// <summary>1 to (10^maxDigits - 1), no leading zero, with the digit count drawn uniformly so
    /// that short numbers (which change the plate's width) are as common as long ones.</summary>
    private static string Number(SeededRandom rng, int maxDigits)
    {
        int digits = rng.Next(1, maxDigits + 1);
        int low = digits == 1 ? 1 : (int)Math.Pow(10, digits - 1);
        int high = (int)Math.Pow(10, digits);
        return rng.Next(low, high).ToString(CultureInfo.InvariantCulture);
    }
}
