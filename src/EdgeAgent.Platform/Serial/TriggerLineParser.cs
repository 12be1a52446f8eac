using System.Globalization;
using System.Text;

namespace EdgeAgent.Platform.Serial;

/// <summary>One vehicle reported by the loop detector: optionally its lane and speed.</summary>
public readonly record struct TriggerLine(string? Lane, int? SpeedKmh);

/// <summary>
/// The vehicle trigger's line protocol, one line per vehicle, as loop-detector cards with an ASCII serial
/// output send it (README "Serial inputs"):
/// <code>
/// VEH             a vehicle
/// VEH,2           a vehicle in lane 2 (the lane names of the hardware profile)
/// VEH,2,48        ... at 48 km/h
/// </code>
/// Anything else is noise: counted and skipped by the reader, never guessed at.
/// </summary>
public static class TriggerLineParser
{
    private const int MaxLaneLength = 8;

    public static bool TryParse(ReadOnlySpan<byte> line, out TriggerLine trigger, out string? problem)
    {
        trigger = default;
        line = line.Trim((byte)' ');
        if (!LineAssembler.IsPrintableAscii(line))
        {
            problem = "holds bytes that are not printable ASCII";
            return false;
        }
        if (!line.StartsWith("VEH"u8) || (line.Length > 3 && line[3] != (byte)','))
        {
            problem = "does not start with VEH";
            return false;
        }
        if (line.Length == 3)
        {
            problem = null;
            return true;
        }
        string[] fields = Encoding.ASCII.GetString(line[4..]).Split(',');
        if (fields.Length > 2)
        {
            problem = $"has {fields.Length} fields after VEH, expected at most 2 (lane, speed)";
            return false;
        }
        string lane = fields[0];
        if (lane.Length is 0 or > MaxLaneLength || !lane.All(char.IsAsciiLetterOrDigit))
        {
            problem = $"lane '{lane}' is not 1..{MaxLaneLength} letters or digits";
            return false;
        }
        int? speed = null;
        if (fields.Length == 2)
        {
            if (!int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int kmh) || kmh > 400)
            {
                problem = $"speed '{fields[1]}' is not a whole number of km/h 0..400";
                return false;
            }
            speed = kmh;
        }
        trigger = new TriggerLine(lane, speed);
        problem = null;
        return true;
    }
}
