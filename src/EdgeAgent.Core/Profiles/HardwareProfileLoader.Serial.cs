namespace EdgeAgent.Core.Profiles;

// The profile's "serial" section:
//   "serial": {
//     "trigger": { "device": "/dev/ttyS1", "baud": 9600, "matchWindowMs": 1500 },
//     "gps":     { "device": "/dev/ttyACM0", "baud": 9600, "clockToleranceMs": 1000 }
//   }
public static partial class HardwareProfileLoader
{
    /// <summary>The rates termios has constants for (the serial reader refuses others).</summary>
    private static readonly int[] SerialBauds = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800];

    private static SerialInputs ToSerialInputs(SerialDocument? doc) => doc is null
        ? SerialInputs.None
        : new SerialInputs(
            doc.Trigger is { } t ? new TriggerInput(t.Device!, t.Baud ?? 9600, TimeSpan.FromMilliseconds(t.MatchWindowMs ?? 1500)) : null,
            doc.Gps is { } g ? new GpsInput(g.Device!, g.Baud ?? 9600, TimeSpan.FromMilliseconds(g.ClockToleranceMs ?? 1000)) : null);

    private static void ValidateSerial(SerialDocument? doc, List<string> p)
    {
        if (doc is null) return;
        if (doc.Trigger is { } t)
        {
            ValidateDevice("serial.trigger", t.Device, t.Baud, p);
            if (t.MatchWindowMs is < 0 or > 10_000)
                p.Add($"'serial.trigger.matchWindowMs' is {t.MatchWindowMs}: expected 0..10000 (how far a loop pulse may be from the plate's sighting)");
        }
        if (doc.Gps is { } g)
        {
            ValidateDevice("serial.gps", g.Device, g.Baud, p);
            if (g.ClockToleranceMs is < 1 or > 60_000)
                p.Add($"'serial.gps.clockToleranceMs' is {g.ClockToleranceMs}: expected 1..60000");
        }
        if (doc.Trigger?.Device is { } td && doc.Gps?.Device is { } gd && td == gd)
            p.Add($"'serial.trigger.device' and 'serial.gps.device' are both {td}: each input needs its own line");
    }

    private static void ValidateDevice(string at, string? device, int? baud, List<string> p)
    {
        if (string.IsNullOrWhiteSpace(device) || !device.StartsWith('/'))
            p.Add($"'{at}.device' is '{device}': give the device's path, e.g. /dev/ttyUSB0 (better: a /dev/serial/by-id/ name)");
        if (baud is { } b && !SerialBauds.Contains(b))
            p.Add($"'{at}.baud' is {b}: expected one of {string.Join(", ", SerialBauds)}");
    }

    private sealed class SerialDocument
    {
        public TriggerDocument? Trigger { get; set; }
        public GpsDocument? Gps { get; set; }
    }

    private sealed class TriggerDocument
    {
        public string? Device { get; set; }
        public int? Baud { get; set; }
        public int? MatchWindowMs { get; set; }
    }

    private sealed class GpsDocument
    {
        public string? Device { get; set; }
        public int? Baud { get; set; }
        public int? ClockToleranceMs { get; set; }
    }
}
