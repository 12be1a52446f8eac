using EdgeAgent.Core.Configuration;
using EdgeAgent.Settings;
using EdgeAgent.TestSupport;

namespace EdgeAgent.Tests;

public class CameraSourcesSettingsTests
{
    [Fact]
    public void Bind_SourcesFromArguments_GiveOneCameraEach()
    {
        var configuration = SettingsLoader.Build([
            "--Camera:Sources:0:Id=north", "--Camera:Sources:0:Source=rtsp://10.0.0.5/stream",
            "--Camera:Sources:1:Id=south", "--Camera:Sources:1:Source=/dev/video2",
        ]);
        AgentSettings settings = SettingsLoader.Bind(configuration);
        var cameras = settings.Camera.EffectiveSources(settings.Mqtt.CameraId);
        Assert.Equal(["north", "south"], cameras.Select(c => c.Id));
        Assert.Equal(["rtsp://10.0.0.5/stream", "/dev/video2"], cameras.Select(c => c.Source));
    }

    [Fact]
    public void EffectiveSources_NoSources_IsTheSingleCameraNamedByMqttCameraId()
    {
        var settings = new AgentSettings { Camera = { Source = "/dev/video0" }, Mqtt = { CameraId = "gate" } };
        var camera = Assert.Single(settings.Camera.EffectiveSources(settings.Mqtt.CameraId));
        Assert.Equal(("gate", "/dev/video0"), (camera.Id, camera.Source));
    }

    [Fact]
    public void Bind_MisspeltKeyInsideASource_IsReported()
    {
        var configuration = SettingsLoader.Build(["--Camera:Sources:0:Id=north", "--Camera:Sources:0:Sorce=rtsp://x"]);
        var e = Assert.Throws<ConfigurationProblemException>(() => SettingsLoader.Bind(configuration));
        string problem = Assert.Single(e.Problems);
        Assert.Contains("Camera:Sources", problem, StringComparison.Ordinal);
        Assert.Contains("Sorce", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DuplicateIdsEmptySourceAndBothForms_AreEachReported()
    {
        var settings = new AgentSettings
        {
            Camera =
            {
                Source = "/dev/video0",
                Sources =
                [
                    new CameraSourceSettings { Id = "north", Source = "rtsp://a" },
                    new CameraSourceSettings { Id = "north", Source = "" },
                    new CameraSourceSettings { Id = "a/b", Source = "rtsp://c" },
                ],
            },
        };
        var e = Assert.Throws<ConfigurationProblemException>(() => SettingsValidator.Validate(settings, AgentMode.Replay, RepoPaths.HardwareProfiles));
        Assert.Contains(e.Problems, p => p.StartsWith("Camera:Source and Camera:Sources are both set", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("Camera:Sources:1:Id 'north' is used by another camera", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("Camera:Sources:1:Source is empty", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("Camera:Sources:2:Id 'a/b' contains", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_RunWithSourcesOnly_NeedsNoCameraSource()
    {
        var settings = new AgentSettings { Camera = { Sources = [new CameraSourceSettings { Id = "north", Source = "rtsp://a" }] } };
        var e = Assert.Throws<ConfigurationProblemException>(() => SettingsValidator.Validate(settings, AgentMode.Run, RepoPaths.HardwareProfiles));
        Assert.DoesNotContain(e.Problems, p => p.StartsWith("Camera:Source is empty", StringComparison.Ordinal));
    }
}
