using System.Diagnostics;

using EdgeAgent.TestSupport;

namespace EdgeAgent.IntegrationTests;

/// <summary>edgeagent snapshot, the real process, on a provisioned unit whose profile has a privacy mask.</summary>
public class SnapshotTests
{
    private const int Width = 1920, Height = 1080;

    [Fact, Trait("Category", "Integration")]
    public async Task Snapshot_ProvisionedUnit_WritesARedactedFrameWithTheAimDrawnAndAuditsIt()
    {
        using var dir = new TempDirectory("edgeagent-snapshot");
        string shipped = await File.ReadAllTextAsync(Path.Combine(RepoPaths.HardwareProfiles, "anpr-1080p-ir.json"));
        await File.WriteAllTextAsync(dir.File("profile.json"), shipped[..shipped.LastIndexOf('}')].TrimEnd() +
            """, "privacyMasks": [ { "name": "pavement", "points": [[1500, 300], [1900, 300], [1900, 700], [1500, 700]] } ] }""");
        AgentRun provision = await AgentProcess.RunAsync(
        [
            "provision", "--site", "pole-17", "--camera", "north", "--profile", dir.File("profile.json"), "--broker", "127.0.0.1:1883",
            "--source", SampleTruth.BundledSample, "--config-dir", dir.File("etc"), "--data-dir", dir.File("data"), "--user", Environment.UserName,
        ], TimeSpan.FromMinutes(1));
        Assert.True(provision.ExitCode == 0, provision.ToString());

        AgentRun snapshot = await AgentProcess.RunAsync(["snapshot", "--out", dir.File("aim.png"), "--config", dir.File("etc/appsettings.json")],
            TimeSpan.FromMinutes(2));
        Assert.True(snapshot.ExitCode == 0, snapshot.ToString());
        Assert.Contains("redacted 0 faces, 0 people and 1 privacy masks", snapshot.Output, StringComparison.Ordinal);
        Assert.Contains("audit entry #", snapshot.Output, StringComparison.Ordinal);
        Assert.Matches(@"\d+ plates found \(green\)", snapshot.Output);

        byte[] rgb = await RawRgbAsync(dir.File("aim.png"));
        Assert.Equal((0, 0, 0), Pixel(rgb, 1700, 500));          // inside the privacy mask: filled solid
        Assert.Equal((0, 0, 0), Pixel(rgb, 1880, 680));
        Assert.Equal((255, 210, 0), Pixel(rgb, 500, 120));       // the ROI's top edge (the profile's roi.y)
        Assert.NotEqual((0, 0, 0), Pixel(rgb, 700, 500));        // the road outside the mask is still the road

        // The image left the agent: the audit chain says so, and still verifies.
        string audit = await File.ReadAllTextAsync(dir.File("data/audit.jsonl"));
        Assert.Contains("\"snapshot.taken\"", audit, StringComparison.Ordinal);
        Assert.Contains("aim.png", audit, StringComparison.Ordinal);
        AgentRun verify = await AgentProcess.RunAsync(["audit", "verify", "--config", dir.File("etc/appsettings.json")], TimeSpan.FromMinutes(1));
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    [Fact, Trait("Category", "Integration")]
    public async Task Snapshot_MissingCamera_ExitsThreeAndWritesNothing()
    {
        using var dir = new TempDirectory("edgeagent-snapshot");
        AgentRun run = await AgentProcess.RunAsync(["snapshot", "--out", dir.File("aim.png"), "--source", dir.File("nope.mp4")], TimeSpan.FromMinutes(1));
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("nope.mp4", run.Errors, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("aim.png")));
    }

    private static (int R, int G, int B) Pixel(byte[] rgb, int x, int y)
    {
        int i = (y * Width + x) * 3;
        return (rgb[i], rgb[i + 1], rgb[i + 2]);
    }

    // The PNG decoded by the real ffmpeg into raw RGB.
    private static async Task<byte[]> RawRgbAsync(string png)
    {
        string raw = png + ".rgb";
        var start = new ProcessStartInfo("ffmpeg", ["-v", "error", "-y", "-i", png, "-f", "rawvideo", "-pix_fmt", "rgb24", raw]) { RedirectStandardError = true };
        using Process ffmpeg = Process.Start(start)!;
        string errors = await ffmpeg.StandardError.ReadToEndAsync();
        await ffmpeg.WaitForExitAsync();
        Assert.True(ffmpeg.ExitCode == 0, errors);
        byte[] rgb = await File.ReadAllBytesAsync(raw);
        Assert.Equal(Width * Height * 3, rgb.Length);
        return rgb;
    }
}
