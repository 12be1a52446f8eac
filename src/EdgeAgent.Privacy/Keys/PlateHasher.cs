using System.Globalization;
using System.Security.Cryptography;
using System.Text;

using EdgeAgent.Core.Plates;

namespace EdgeAgent.Privacy.Keys;

/// <summary>
/// Keyed plate hashes (scheme v1): HMAC-SHA256 over "CC:REGISTRATION" (upper case, letters and digits only)
/// with a key derived per charging day: HKDF-SHA256(ikm: unit secret, salt: none, info:
/// "edgeagent/plate-hash/v1/YYYY-MM-DD", 32 bytes), the date local to the configured time zone. The same
/// car links within a charging day (what charging needs) and not across days without the unit secret.
/// </summary>
public sealed class PlateHasher(UnitSecret secret, TimeZoneInfo chargingZone)
{
    public const string Scheme = "v1";
    private readonly Lock _gate = new();
    private DateOnly _cachedDay;
    private byte[]? _cachedKey;

    public TimeZoneInfo ChargingZone { get; } = chargingZone;
    public string UnitKeyId => secret.KeyId;

    /// <summary>The charging day of a moment: its date in the charging time zone (Europe/London by default).</summary>
    public DateOnly ChargingDay(DateTimeOffset time) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time, ChargingZone).DateTime);

    /// <summary>Names the day key: unit key id and date, e.g. "3fa2c81d:2026-11-23".</summary>
    public string KeyIdFor(DateOnly day) => $"{secret.KeyId}:{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    /// <summary>Lower-case hex HMAC of the normalised plate under the day key.</summary>
    public string Hash(CountryCode country, ReadOnlySpan<char> registration, DateOnly day)
    {
        string message = Normalise(country, registration);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(DayKey(day), Encoding.ASCII.GetBytes(message), mac);
        return Convert.ToHexStringLower(mac);
    }

    /// <summary>"GB:AB12CDE": the country code (ZZ when unknown), a colon, the characters A-Z0-9 upper-cased.</summary>
    public static string Normalise(CountryCode country, ReadOnlySpan<char> registration)
    {
        var builder = new StringBuilder(3 + registration.Length);
        builder.Append(country.IsKnown ? country.ToString() : "ZZ").Append(':');
        foreach (char c in registration)
            if (char.IsAsciiLetterOrDigit(c)) builder.Append(char.ToUpperInvariant(c));
        return builder.ToString();
    }

    /// <summary>HKDF of the unit secret for one day (scheme v1).</summary>
    public static byte[] DeriveDayKey(ReadOnlySpan<byte> unitSecret, DateOnly day)
    {
        byte[] info = Encoding.ASCII.GetBytes($"edgeagent/plate-hash/{Scheme}/{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
        byte[] key = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, unitSecret, key, salt: [], info);
        return key;
    }

    private byte[] DayKey(DateOnly day)
    {
        lock (_gate)
        {
            if (_cachedKey is null || _cachedDay != day)
            {
                _cachedKey = DeriveDayKey(secret.Bytes, day);
                _cachedDay = day;
            }
            return _cachedKey;
        }
    }
}
