using System.Globalization;
using System.Text;

namespace EdgeAgent.Platform.Serial;

/// <summary>GGA: the fix (position, quality, satellites) at a time of day.</summary>
public sealed record GgaSentence(TimeOnly? UtcTime, double? Latitude, double? Longitude, int Quality, int Satellites, double? Hdop, double? AltitudeM)
{
    /// <summary>Quality 0 is "no fix"; 1 GPS, 2 DGPS, 4/5 RTK, 6 dead reckoning (not a fix to trust here).</summary>
    public bool HasFix => Quality is >= 1 and <= 5 && Latitude is not null && Longitude is not null;
}

/// <summary>RMC: the recommended minimum: date and time (the time source), status, position, speed.</summary>
public sealed record RmcSentence(DateTimeOffset? UtcDateTime, bool Valid, double? Latitude, double? Longitude, double? SpeedKnots, double? CourseDegrees);

public enum NmeaOutcome
{
    /// <summary>A GGA or RMC sentence with a good checksum and sane fields.</summary>
    Parsed,
    /// <summary>A well-formed sentence of another kind (GSV, GSA, VTG, proprietary): not needed, not an error.</summary>
    Ignored,
    /// <summary>Noise: no '$', no or a wrong checksum, binary bytes, fields that do not parse.</summary>
    Malformed,
}

/// <summary>One line's verdict and, when parsed, its sentence.</summary>
public readonly record struct NmeaResult(NmeaOutcome Outcome, string? Problem = null, GgaSentence? Gga = null, RmcSentence? Rmc = null)
{
    internal static NmeaResult Bad(string problem) => new(NmeaOutcome.Malformed, problem);
}

/// <summary>
/// NMEA 0183 sentences from a GPS receiver: "$GPGGA,...*hh" and "$GNRMC,...*hh" from any talker. The
/// checksum (XOR of the characters between '$' and '*') is required: on a noisy line a sentence without
/// one cannot be trusted for a position or a clock. Never throws: every input has a verdict.
/// </summary>
public static class NmeaParser
{
    public static NmeaResult Parse(ReadOnlySpan<byte> line)
    {
        if (line.Length < 6 || line[0] != (byte)'$') return NmeaResult.Bad("does not start with '$'");
        if (!LineAssembler.IsPrintableAscii(line)) return NmeaResult.Bad("holds bytes that are not printable ASCII");
        int star = line.LastIndexOf((byte)'*');
        if (star < 0 || line.Length - star != 3) return NmeaResult.Bad("has no '*hh' checksum at its end");
        if (!byte.TryParse(line.Slice(star + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte expected))
            return NmeaResult.Bad("has a checksum that is not two hex digits");
        byte actual = 0;
        foreach (byte b in line[1..star]) actual ^= b;
        if (actual != expected) return NmeaResult.Bad($"fails its checksum (says {expected:X2}, is {actual:X2})");

        string[] f = Encoding.ASCII.GetString(line[1..star]).Split(',');
        string address = f[0];
        if (address.Length == 0) return NmeaResult.Bad("has an empty address field");
        if (address[0] == 'P') return new NmeaResult(NmeaOutcome.Ignored);  // proprietary
        if (address.Length != 5 || !address.All(char.IsAsciiLetterUpper)) return NmeaResult.Bad($"has a bad address field '{address}'");
        return address[2..] switch
        {
            "GGA" => ParseGga(f),
            "RMC" => ParseRmc(f),
            _ => new NmeaResult(NmeaOutcome.Ignored),
        };
    }

    private static NmeaResult ParseGga(string[] f)
    {
        if (f.Length < 10) return NmeaResult.Bad($"GGA has {f.Length - 1} fields, expected at least 9");
        if (!TryTime(f[1], out TimeOnly? time)) return NmeaResult.Bad($"GGA time '{f[1]}' is not hhmmss[.ss]");
        if (!TryInt(f[6], 0, 9, out int quality)) return NmeaResult.Bad($"GGA fix quality '{f[6]}' is not 0..9");
        if (!TryInt(f[7], 0, 99, out int satellites)) return NmeaResult.Bad($"GGA satellite count '{f[7]}' is not 0..99");
        if (!TryPosition(f[2], f[3], f[4], f[5], out double? lat, out double? lon, out string? problem)) return NmeaResult.Bad("GGA " + problem);
        if (!TryOptionalDouble(f[8], 0, 100, out double? hdop)) return NmeaResult.Bad($"GGA HDOP '{f[8]}' is not a number 0..100");
        if (!TryOptionalDouble(f[9], -1000, 20000, out double? altitude)) return NmeaResult.Bad($"GGA altitude '{f[9]}' is not a number");
        return new NmeaResult(NmeaOutcome.Parsed, Gga: new GgaSentence(time, lat, lon, quality, satellites, hdop, altitude));
    }

    private static NmeaResult ParseRmc(string[] f)
    {
        if (f.Length < 10) return NmeaResult.Bad($"RMC has {f.Length - 1} fields, expected at least 9");
        if (!TryTime(f[1], out TimeOnly? time)) return NmeaResult.Bad($"RMC time '{f[1]}' is not hhmmss[.ss]");
        if (f[2] is not ("A" or "V")) return NmeaResult.Bad($"RMC status '{f[2]}' is not A or V");
        if (!TryPosition(f[3], f[4], f[5], f[6], out double? lat, out double? lon, out string? problem)) return NmeaResult.Bad("RMC " + problem);
        if (!TryOptionalDouble(f[7], 0, 10000, out double? speed)) return NmeaResult.Bad($"RMC speed '{f[7]}' is not a number");
        if (!TryOptionalDouble(f[8], 0, 360, out double? course)) return NmeaResult.Bad($"RMC course '{f[8]}' is not 0..360");
        if (!TryDate(f[9], out DateOnly? date)) return NmeaResult.Bad($"RMC date '{f[9]}' is not ddmmyy");
        DateTimeOffset? when = date is { } d && time is { } t ? new DateTimeOffset(d.ToDateTime(t), TimeSpan.Zero) : null;
        return new NmeaResult(NmeaOutcome.Parsed, Rmc: new RmcSentence(when, f[2] == "A", lat, lon, speed, course));
    }

    // hhmmss or hhmmss.sss; empty (no time yet) is allowed and gives null.
    private static bool TryTime(string s, out TimeOnly? time)
    {
        time = null;
        if (s.Length == 0) return true;
        if (s.Length < 6 || !AllDigits(s.AsSpan(0, 6))) return false;
        int h = Digits(s, 0, 2), m = Digits(s, 2, 2), sec = Digits(s, 4, 2);
        double fraction = 0;
        if (s.Length > 6 && (s[6] != '.' || !double.TryParse("0" + s[6..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out fraction)))
            return false;
        // 60 is a leap second: held at :59.999 rather than refused.
        if (h > 23 || m > 59 || sec > 60) return false;
        time = new TimeOnly(h, m, Math.Min(sec, 59), sec == 60 ? 999 : (int)(fraction * 1000));
        return true;
    }

    private static bool TryDate(string s, out DateOnly? date)
    {
        date = null;
        if (s.Length == 0) return true;
        if (s.Length != 6 || !AllDigits(s.AsSpan())) return false;
        int d = Digits(s, 0, 2), m = Digits(s, 2, 2), y = Digits(s, 4, 2);
        if (m is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(2000 + y, m)) return false;
        date = new DateOnly(2000 + y, m, d);  // two-digit years: receivers of this century
        return true;
    }

    // ddmm.mmmm,N,dddmm.mmmm,E; all four empty means "no position yet".
    private static bool TryPosition(string lat, string ns, string lon, string ew, out double? latitude, out double? longitude, out string? problem)
    {
        latitude = longitude = null;
        problem = null;
        if (lat.Length == 0 && lon.Length == 0 && ns.Length == 0 && ew.Length == 0) return true;
        if (!TryDegrees(lat, 2, 90, out double la) || ns is not ("N" or "S"))
        {
            problem = $"latitude '{lat},{ns}' is not ddmm.mmmm,N|S";
            return false;
        }
        if (!TryDegrees(lon, 3, 180, out double lo) || ew is not ("E" or "W"))
        {
            problem = $"longitude '{lon},{ew}' is not dddmm.mmmm,E|W";
            return false;
        }
        latitude = ns == "S" ? -la : la;
        longitude = ew == "W" ? -lo : lo;
        return true;
    }

    private static bool TryDegrees(string s, int degreeDigits, int maxDegrees, out double degrees)
    {
        degrees = 0;
        if (s.Length < degreeDigits + 2 || !AllDigits(s.AsSpan(0, degreeDigits))) return false;
        if (!double.TryParse(s.AsSpan(degreeDigits), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double minutes)) return false;
        int whole = Digits(s, 0, degreeDigits);
        if (minutes >= 60 || whole > maxDegrees) return false;
        degrees = whole + minutes / 60;
        return degrees <= maxDegrees;
    }

    private static bool TryInt(string s, int min, int max, out int value)
    {
        if (s.Length == 0)
        {
            value = 0;
            return true;
        }
        return int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }

    private static bool TryOptionalDouble(string s, double min, double max, out double? value)
    {
        value = null;
        if (s.Length == 0) return true;
        if (!double.TryParse(s, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out double v)
            || v < min || v > max) return false;
        value = v;
        return true;
    }

    private static bool AllDigits(ReadOnlySpan<char> s) => !s.ContainsAnyExceptInRange('0', '9');

    private static int Digits(string s, int start, int count) => int.Parse(s.AsSpan(start, count), NumberStyles.None, CultureInfo.InvariantCulture);
}
