using EdgeAgent.Core.Configuration;
using EdgeAgent.Core.Profiles;
using EdgeAgent.TestSupport;

namespace EdgeAgent.Core.Tests;

public class HardwareProfileSerialTests
{
    private const string Base = """
        "name": "t", "width": 1920, "height": 1080, "fps": 25, "plateHeightPx": { "min": 32, "max": 120 }
        """;

    [Fact]
    public void Shipped_Profiles_CoverThreeKindsOfCamera()
    {
        var profiles = Directory.GetFiles(RepoPaths.HardwareProfiles, "*.json")
            .Select(f => HardwareProfileLoader.Load(f, RepoPaths.HardwareProfiles)).ToList();
        Assert.Contains(profiles, p => p is { Width: 1920, Height: 1080, Fps: 25, Infrared: true });
        Assert.Contains(profiles, p => p is { Width: 1280, Height: 720, Infrared: false, Transport: "rtsp" });
        Assert.Contains(profiles, p => p.Transport == "v4l2");
    }

    [Fact]
    public void Load_LoopAndGpsProfile_HasBothInputs()
    {
        HardwareProfile p = HardwareProfileLoader.Load("anpr-1080p-ir-loop-gps", RepoPaths.HardwareProfiles);
        Assert.Equal(new TriggerInput("/dev/ttyS1", 9600, TimeSpan.FromMilliseconds(1500)), p.Serial.Trigger);
        Assert.Equal(new GpsInput("/dev/ttyACM0", 9600, TimeSpan.FromSeconds(1)), p.Serial.Gps);
    }

    [Fact]
    public void Parse_NoSerialSection_HasNoInputs()
    {
        HardwareProfile p = HardwareProfileLoader.Parse("{" + Base + "}", "test");
        Assert.Same(SerialInputs.None, p.Serial);
        Assert.False(p.Serial.Any);
    }

    [Fact]
    public void Parse_DefaultsForBaudAndWindows()
    {
        HardwareProfile p = HardwareProfileLoader.Parse("{" + Base + """, "serial": { "trigger": { "device": "/dev/ttyUSB0" } } }""", "test");
        Assert.Equal(new TriggerInput("/dev/ttyUSB0", 9600, TimeSpan.FromMilliseconds(1500)), p.Serial.Trigger);
        Assert.Null(p.Serial.Gps);
    }

    [Fact]
    public void Parse_BadSerialSection_ReportsEveryProblem()
    {
        string json = "{" + Base + """
            , "serial": {
                "trigger": { "device": "ttyS1", "baud": 9601, "matchWindowMs": 60000 },
                "gps": { "device": "/dev/ttyACM0", "baud": 4800, "clockToleranceMs": 0 } } }
            """;
        var e = Assert.Throws<ConfigurationProblemException>(() => HardwareProfileLoader.Parse(json, "test"));
        Assert.Equal(4, e.Problems.Count);
        Assert.Contains(e.Problems, m => m.Contains("'serial.trigger.device' is 'ttyS1'", StringComparison.Ordinal));
        Assert.Contains(e.Problems, m => m.Contains("'serial.trigger.baud' is 9601", StringComparison.Ordinal));
        Assert.Contains(e.Problems, m => m.Contains("matchWindowMs", StringComparison.Ordinal));
        Assert.Contains(e.Problems, m => m.Contains("clockToleranceMs", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_SameDeviceTwice_IsRefused()
    {
        string json = "{" + Base + """, "serial": { "trigger": { "device": "/dev/ttyS0" }, "gps": { "device": "/dev/ttyS0" } } }""";
        var e = Assert.Throws<ConfigurationProblemException>(() => HardwareProfileLoader.Parse(json, "test"));
        Assert.Contains("each input needs its own line", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TypoInSerialField_IsAnError()
    {
        string json = "{" + Base + """, "serial": { "gps": { "device": "/dev/ttyACM0", "baudrate": 9600 } } }""";
        var e = Assert.Throws<ConfigurationProblemException>(() => HardwareProfileLoader.Parse(json, "test"));
        Assert.Contains("baudrate", e.Message, StringComparison.Ordinal);
    }
}
