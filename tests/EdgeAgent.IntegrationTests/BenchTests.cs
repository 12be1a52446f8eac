using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

using EdgeAgent.TestSupport;

namespace EdgeAgent.IntegrationTests;

/// <summary>
/// `edgeagent bench` as a user runs it, on a short clip of the bundled sample (two vehicle passes) so the
/// test takes seconds: the figures' shape is checked here, never their speed (a shared machine's speed is
/// a figure to report, not to assert).
/// </summary>
[Trait("Category", "Integration")]
public partial class BenchTests
{
    private static readonly string[] ContractKeys =
        ["frames", "fps", "ms_p50", "ms_p99", "alloc_bytes_per_frame", "gc0", "gc1", "gc2", "rss_mb", "decode_fps"];

    [Fact]
    public async Task Bench_ShortClipWithMqtt_WritesEveryKeyAndEndsWithTheSummaryLine()
    {
        using var dir = new TempDirectory("edgeagent-bench");
        string clip = await CutClipAsync(dir, frames: 130);
        string json = dir.File("bench.json");

        AgentRun run = await AgentProcess.RunAsync(["bench", clip, "--warmup", "30", "--json", json], TimeSpan.FromMinutes(5));

        Assert.True(run.ExitCode == 0, run.ToString());
        string[] lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Matches(SummaryLine(), lines[^1]);
        Assert.Contains("decode-only frames/s", run.Output, StringComparison.Ordinal);

        using JsonDocument doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        JsonElement root = doc.RootElement;
        foreach (string key in ContractKeys)
            Assert.True(root.TryGetProperty(key, out JsonElement value) && value.ValueKind == JsonValueKind.Number, $"{key} missing or not a number");
        Assert.Equal(100, root.GetProperty("frames").GetInt64());   // 130 frames, the first 30 warm-up
        Assert.True(root.GetProperty("fps").GetDouble() > 0);
        Assert.True(root.GetProperty("decode_fps").GetDouble() > 0);
        // The processing thread's own CPU time (thread clock): some, and never more than the whole process's.
        double loopCpu = root.GetProperty("loop_cpu_ms_per_frame").GetDouble();
        Assert.InRange(loopCpu, 0.01, root.GetProperty("cpu_ms_per_frame").GetDouble());
        // The capture thread's too (decode, BGR and gray: a few ms a 1080p frame).
        Assert.InRange(root.GetProperty("capture_cpu_ms_per_frame").GetDouble(), 0.01, root.GetProperty("cpu_ms_per_frame").GetDouble());
        // How long each side waited on the other, a frame: never more than the window's wall time a frame (with a
        // little slack: a wait that straddles the window's opening counts whole).
        double wallMs = 1000 / root.GetProperty("fps").GetDouble();
        Assert.InRange(root.GetProperty("processing_wait_ms_per_frame").GetDouble(), 0, wallMs + 0.5);
        Assert.InRange(root.GetProperty("capture_wait_ms_per_frame").GetDouble(), 0, wallMs + 0.5);
        // Evidence is on by default: each read's images were kept or dropped, and counted either way.
        Assert.True(root.GetProperty("evidence").GetBoolean());
        Assert.InRange(root.GetProperty("evidence_kept").GetInt64() + root.GetProperty("evidence_dropped").GetInt64(), 1, root.GetProperty("reads").GetInt64());
        Assert.True(root.GetProperty("rss_mb").GetDouble() > 10);
        Assert.True(root.GetProperty("ms_p99").GetDouble() >= root.GetProperty("ms_p50").GetDouble());
        Assert.True(root.GetProperty("mqtt").GetBoolean());
        // The clip's vehicles were read, committed and acknowledged by the broker the bench started.
        Assert.InRange(root.GetProperty("reads").GetInt64(), 1, 4);
        Assert.Equal(root.GetProperty("reads").GetInt64(), root.GetProperty("published").GetInt64());
        Assert.Equal(lines[^1], $"fps={Fixed(root, "fps", "0.0")} alloc_bytes_per_frame={Fixed(root, "alloc_bytes_per_frame", "0.#")} decode_fps={Fixed(root, "decode_fps", "0.0")}");
    }

    [Fact]
    public async Task Bench_TwoCameras_EachLoopPublishesOnItsOwnTopicThroughOneConnection()
    {
        using var dir = new TempDirectory("edgeagent-bench");
        string clip = await CutClipAsync(dir, frames: 130);
        string json = dir.File("bench.json");
        await using var broker = await MosquittoBroker.StartAsync();
        await using var capture = await MqttCapture.StartAsync(broker, "anpr/v1/#");

        AgentRun run = await AgentProcess.RunAsync(
            ["bench", clip, "--cameras", "2", "--warmup", "30", "--json", json, $"--Mqtt:Host={broker.Host}", $"--Mqtt:Port={broker.Port}"],
            TimeSpan.FromMinutes(5));

        Assert.True(run.ExitCode == 0, run.ToString());
        using JsonDocument doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal(2, doc.RootElement.GetProperty("cameras").GetInt32());
        // The total of both loops. The window opens at the 30th frame of the two together; the other loop may
        // finish a frame or two while that snapshot is taken, so the window can start a little later.
        Assert.InRange(doc.RootElement.GetProperty("frames").GetInt64(), 2 * 130 - 30 - 6, 2 * 130 - 30);
        long reads = doc.RootElement.GetProperty("reads").GetInt64();
        var messages = await capture.WaitForAsync(all => all.Count(m => m.Topic.EndsWith("/read", StringComparison.Ordinal)) >= reads, TimeSpan.FromSeconds(10));
        var byCamera = messages.Where(m => m.Topic.EndsWith("/read", StringComparison.Ordinal))
            .GroupBy(m => m.Topic).ToDictionary(g => g.Key, g => g.ToList());
        // The same clip on both cameras: the same number of reads on each camera's topic, each naming its camera.
        Assert.Equal(["anpr/v1/demo-site/cam-01/read", "anpr/v1/demo-site/cam-02/read"], byCamera.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(byCamera["anpr/v1/demo-site/cam-01/read"].Count, byCamera["anpr/v1/demo-site/cam-02/read"].Count);
        foreach (var (topic, reads1) in byCamera)
            Assert.All(reads1, m => Assert.Equal(topic.Split('/')[3], ReplayFixture.Field(m, "camera")));
        // One connection: the unit's status (birth and orderly stop) only on the unit's own topic.
        Assert.All(messages.Where(m => m.Topic.EndsWith("/status", StringComparison.Ordinal)),
            m => Assert.Equal("anpr/v1/demo-site/cam-01/status", m.Topic));
    }

    [Fact]
    public async Task Bench_MissingVideo_ExitsWithSourceFailed()
    {
        using var dir = new TempDirectory("edgeagent-bench");
        AgentRun run = await AgentProcess.RunAsync(["bench", dir.File("nope.mp4"), "--no-mqtt"], TimeSpan.FromMinutes(1));
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("does not exist", run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_WarmupLongerThanTheVideo_SaysToShortenIt()
    {
        using var dir = new TempDirectory("edgeagent-bench");
        string clip = await CutClipAsync(dir, frames: 20);
        AgentRun run = await AgentProcess.RunAsync(["bench", clip, "--no-mqtt", "--warmup", "50"], TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--warmup", run.Errors, StringComparison.Ordinal);
    }

    // The JSON keeps more digits than the summary line; the line is the JSON's value rounded.
    private static string Fixed(JsonElement root, string key, string format) =>
        root.GetProperty(key).GetDouble().ToString(format, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^fps=\d+\.\d alloc_bytes_per_frame=\d+(\.\d)? decode_fps=\d+\.\d$")]
    private static partial Regex SummaryLine();

    /// <summary>The first <paramref name="frames"/> frames of the bundled sample, re-encoded by ffmpeg (1080p H.264).</summary>
    internal static async Task<string> CutClipAsync(TempDirectory dir, int frames)
    {
        string clip = dir.File($"clip-{frames}.mp4");
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in new[] { "-nostdin", "-v", "error", "-y", "-i", SampleTruth.BundledSample, "-frames:v", frames.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "-an", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-pix_fmt", "yuv420p", clip })
            start.ArgumentList.Add(a);
        using Process ffmpeg = Process.Start(start)!;
        string errors = await ffmpeg.StandardError.ReadToEndAsync();
        await ffmpeg.WaitForExitAsync();
        Assert.True(ffmpeg.ExitCode == 0, $"ffmpeg could not cut the clip: {errors}");
        return clip;
    }
}
