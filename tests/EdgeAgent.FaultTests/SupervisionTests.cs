using System.Net.Sockets;
using System.Text;
using System.Text.Json;

using EdgeAgent.TestSupport;

using Xunit.Abstractions;

namespace EdgeAgent.FaultTests;

[Trait("Category", "Integration")]
public sealed class SupervisionTests(ITestOutputHelper output) : IDisposable
{
    private readonly FaultRig _rig = new(output);

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task Replay_UnderSystemdNotifySocket_SaysReadyPingsTheWatchdogAndSaysStopping()
    {
        string clip = await FaultVideos.FourPassesAsync();
        await using var broker = await MosquittoBroker.StartAsync();
        string socketPath = Path.Combine(_rig.Folder, "notify.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        var datagrams = new List<string>();
        using var stop = new CancellationTokenSource();
        Task listening = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    int n = await socket.ReceiveAsync(buffer, SocketFlags.None, stop.Token);
                    lock (datagrams) datagrams.Add(Encoding.UTF8.GetString(buffer, 0, n));
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });

        // systemd passes WatchdogSec=2 as WATCHDOG_USEC: the agent pings every second.
        var run = await AgentProcess.RunAsync(["replay", clip, .. _rig.Settings(broker)], TimeSpan.FromMinutes(5), _rig.Folder,
            new Dictionary<string, string> { ["NOTIFY_SOCKET"] = socketPath, ["WATCHDOG_USEC"] = "2000000" });
        await Task.Delay(200);
        await stop.CancelAsync();
        await listening;

        List<string> got;
        lock (datagrams) got = [.. datagrams];
        int watchdogs = got.Count(d => d == "WATCHDOG=1");
        _rig.Figure($"sd_notify: {got.Count} datagrams over a {run.Elapsed.TotalSeconds:0.0} s replay: READY {got.Count(d => d.StartsWith("READY=1", StringComparison.Ordinal))}, " +
                    $"WATCHDOG {watchdogs}, STOPPING {got.Count(d => d == "STOPPING=1")}");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("READY=1", got[0], StringComparison.Ordinal);
        Assert.True(watchdogs >= 1, string.Join(" | ", got));
        Assert.Equal("STOPPING=1", got[^1]);
    }

    [Fact]
    public async Task Run_CorruptCameraSource_IsReopenedWithBackoffAndHealthSaysSo()
    {
        string clip = await FaultVideos.FourPassesAsync();
        string broken = Path.Combine(_rig.Folder, "broken.mp4");
        byte[] bytes = await File.ReadAllBytesAsync(clip);
        await File.WriteAllBytesAsync(broken, bytes[..(bytes.Length / 3)]);   // cut off mid-stream, its index gone
        await using var broker = await MosquittoBroker.StartAsync();
        await using var capture = await MqttCapture.StartAsync(broker, "anpr/v1/#");
        using var agent = AgentHandle.Start(["run", $"--Camera:Source={broken}", "--Health:IntervalSeconds=1", .. _rig.Settings(broker)], _rig.Folder);

        var messages = await capture.WaitForAsync(all => FaultRig.Health(all).Any(h => Camera(h).GetProperty("reopens").GetInt32() >= 2), TimeSpan.FromMinutes(2));
        Assert.False(agent.HasExited, agent.Output);
        int exit = await agent.StopAsync(TimeSpan.FromSeconds(30));

        var health = FaultRig.Health(messages).ToList();
        await FaultRig.AssertMatchesHealthSchemaAsync(health);
        JsonElement last = Camera(health[^1]);
        var states = health.Select(h => Camera(h).GetProperty("state").GetString()).Distinct().ToList();
        _rig.Figure($"corrupt camera source: {last.GetProperty("reopens").GetInt32()} reopens in {agent.Elapsed.TotalSeconds:0} s, states seen {string.Join("/", states)}, " +
                    $"last error \"{last.GetProperty("last_error").GetString()}\", exit on SIGTERM {exit}");
        Assert.Equal(0, exit);
        Assert.Contains("reopening", states);
        Assert.Contains("[1004]", agent.Output, StringComparison.Ordinal);   // "Reopening ... in N s"
    }

    [Fact]
    public async Task Run_LiveStreamStalls_HealthSaysStalledThenTheSourceIsReopened()
    {
        string clip = await FaultVideos.FourPassesAsync();
        await using var camera = await MjpegServer.StartAsync(clip, _rig.Folder);
        await using var broker = await MosquittoBroker.StartAsync();
        await using var capture = await MqttCapture.StartAsync(broker, "anpr/v1/#");
        using var agent = AgentHandle.Start(["run", $"--Camera:Source={camera.Url}", "--Health:IntervalSeconds=1", .. _rig.Settings(broker)], _rig.Folder);
        await capture.WaitForAsync(all => FaultRig.Health(all).Any(h => State(h) == "streaming" && Camera(h).GetProperty("frames_captured").GetInt64() > 20),
            TimeSpan.FromMinutes(2));

        camera.Stalled = true;   // the camera hangs: the connection stays open, no frame comes
        var stalledAt = DateTimeOffset.UtcNow;
        await capture.WaitForAsync(all => FaultRig.Health(all).Any(h => State(h) == "stalled"), TimeSpan.FromSeconds(60));
        var sawStalled = DateTimeOffset.UtcNow;
        camera.Stalled = false;  // back for whoever connects next: only a reopen gets frames again
        var messages = await capture.WaitForAsync(all => FaultRig.Health(all).Any(h => Camera(h).GetProperty("reopens").GetInt32() >= 1 && State(h) == "streaming"),
            TimeSpan.FromMinutes(2));
        var reopenedAt = DateTimeOffset.UtcNow;
        Assert.False(agent.HasExited, agent.Output);
        int exit = await agent.StopAsync(TimeSpan.FromSeconds(30));

        await FaultRig.AssertMatchesHealthSchemaAsync(FaultRig.Health(messages));
        var states = FaultRig.Health(messages).Select(State).Distinct().ToList();
        _rig.Figure($"stalled live stream (HTTP MJPEG gone silent): health said stalled after {(sawStalled - stalledAt).TotalSeconds:0} s, streaming again after a reopen " +
                    $"{(reopenedAt - stalledAt).TotalSeconds:0} s after the stall ({camera.Connections} connections), states seen {string.Join("/", states)}, exit {exit}");
        Assert.Equal(0, exit);
        Assert.True(camera.Connections >= 2);
    }

    private static string State(CapturedMessage health) => Camera(health).GetProperty("state").GetString()!;

    private static JsonElement Camera(CapturedMessage health)
    {
        using JsonDocument doc = health.Json();
        var cameras = doc.RootElement.GetProperty("cameras");
        return cameras.GetArrayLength() > 0 ? cameras[0].Clone() : JsonDocument.Parse("""{"reopens":0,"state":"none"}""").RootElement.Clone();
    }
}
