using System.Globalization;
using System.Text;

namespace EdgeAgent.Platform.Tests;

/// <summary>Builds NMEA sentences the way a receiver does: "$" + body + "*" + XOR checksum.</summary>
internal static class Nmea
{
    public static string Sentence(string body)
    {
        byte sum = 0;
        foreach (byte b in Encoding.ASCII.GetBytes(body)) sum ^= b;
        return string.Create(CultureInfo.InvariantCulture, $"${body}*{sum:X2}");
    }

    public static byte[] Bytes(string body) => Encoding.ASCII.GetBytes(Sentence(body));

    /// <summary>ddmm.mmmm,N|S / dddmm.mmmm,E|W for a position in degrees.</summary>
    public static string Position(double latitude, double longitude)
    {
        static string Part(double value, int degreeDigits)
        {
            double abs = Math.Abs(value);
            int degrees = (int)abs;
            double minutes = (abs - degrees) * 60;
            return degrees.ToString(new string('0', degreeDigits), CultureInfo.InvariantCulture) + minutes.ToString("00.000000", CultureInfo.InvariantCulture);
        }
        return $"{Part(latitude, 2)},{(latitude < 0 ? "S" : "N")},{Part(longitude, 3)},{(longitude < 0 ? "W" : "E")}";
    }

    public static string Rmc(DateTimeOffset utc, double latitude, double longitude, string talker = "GP") =>
        Sentence(string.Create(CultureInfo.InvariantCulture,
            $"{talker}RMC,{utc:HHmmss.ff},A,{Position(latitude, longitude)},0.02,,{utc:ddMMyy},,,A"));

    public static string Gga(DateTimeOffset utc, double latitude, double longitude, int quality = 1, int satellites = 9, string talker = "GP") =>
        Sentence(string.Create(CultureInfo.InvariantCulture,
            $"{talker}GGA,{utc:HHmmss.ff},{Position(latitude, longitude)},{quality},{satellites:00},0.9,35.2,M,47.0,M,,"));
}
