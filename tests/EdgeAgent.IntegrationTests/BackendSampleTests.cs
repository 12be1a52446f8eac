using System.Diagnostics;
using System.Text;
using System.Text.Json;

using EdgeAgent.TestSupport;

namespace EdgeAgent.IntegrationTests;

/// <summary>
/// samples/backend as a backend developer would run it, against real agents replaying a clip of the sample
/// to a real broker: counts per camera, a retried read dropped as a duplicate, invalid payloads named, each
/// unit's status and health shown.
/// </summary>
public class BackendSampleTests
{
    private static string SampleDll => RepoPaths.BuiltAssembly("samples/backend", "edgeagent-backend-sample.dll");

    [Fact, Trait("Category", "Integration")]
    public async Task BackendSample_TwoUnitsARetryAndBadPayloads_CountsValidatesAndShowsStatusAndHealth()
    {
        using var dir = new TempDirectory("edgeagent-backend");
        await using var broker = await MosquittoBroker.StartAsync();
        await using var capture = await MqttCapture.StartAsync(broker, "anpr/v1/#");
        string clip = await Clips.FirstSecondsAsync(SampleTruth.BundledSample, seconds: 9, dir.File("clip.mp4"));

        var output = new StringBuilder();
        List<CapturedMessage> reads = [];
        var start = new ProcessStartInfo("dotnet", [SampleDll, "--port", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--every", "0", "--duration", "240", "--summary-json", dir.File("summary.json")])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using Process backend = Process.Start(start)!;
        backend.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        backend.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        backend.BeginOutputReadLine();
        backend.BeginErrorReadLine();
        try
        {
            await Until(() => Text(output).Contains("subscribed to anpr/v1/#", StringComparison.Ordinal), "the sample subscribes", output);

            foreach (string camera in new[] { "north", "south" })
            {
                AgentRun run = await AgentProcess.RunAsync(["replay", clip, $"--Mqtt:Host={broker.Host}", $"--Mqtt:Port={broker.Port}",
                    "--Mqtt:Site=pole-17", $"--Mqtt:CameraId={camera}", "--Health:IntervalSeconds=1", $"--Storage:Path={dir.File(camera + ".db")}"],
                    TimeSpan.FromMinutes(3), workingDirectory: dir.Path);
                Assert.True(run.ExitCode == 0, run.ToString());
            }
            // Each agent's "stopped" status follows its last read: once both are in, the capture holds every read.
            var all = await capture.WaitForAsync(ms => new[] { "north", "south" }.All(c => ms.Any(m =>
                m.Topic == $"anpr/v1/pole-17/{c}/status" && m.Text.Contains("\"stopped\"", StringComparison.Ordinal))), TimeSpan.FromSeconds(30));
            reads = [.. all.Where(m => m.Topic.EndsWith("/read", StringComparison.Ordinal))];
            Assert.NotEmpty(reads);

            // A retry after a lost PUBACK: the same read again. Then a read that breaks the contract, and noise.
            await using var publisher = new Transport.Mosquitto.MosquittoClient(broker.ClientOptions());
            await publisher.ConnectAsync();
            CapturedMessage retried = reads.First(m => m.Topic.Contains("/north/", StringComparison.Ordinal));
            publisher.Publish(retried.Topic, retried.Payload.Span, qos: 1);
            publisher.Publish("anpr/v1/pole-17/north/read", """{"v":1,"id":"not-a-ulid","historical":false,"plate_text":"AB12CDE"}"""u8, qos: 1);
            publisher.Publish("anpr/v1/pole-17/south/read", "\u00ff\u00fe garbage"u8, qos: 1);
            await Until(() => Text(output).Contains("(seen before: dropped)", StringComparison.Ordinal) && Count(output, "INVALID") == 2,
                "the duplicate and the two invalid payloads", output);
        }
        finally
        {
            Signals.Terminate(backend.Id);
            await backend.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        Assert.True(backend.ExitCode == 0, Text(output));

        using JsonDocument summary = JsonDocument.Parse(await File.ReadAllTextAsync(dir.File("summary.json")));
        JsonElement units = summary.RootElement.GetProperty("units");
        foreach (string camera in new[] { "north", "south" })
        {
            JsonElement unit = units.GetProperty("pole-17/" + camera);
            var firstOfEach = FirstOfEachId(reads.Where(m => m.Topic == $"anpr/v1/pole-17/{camera}/read")).ToList();
            Assert.NotEmpty(firstOfEach);
            Assert.Equal(firstOfEach.Count, unit.GetProperty("reads").GetInt32());
            // Historical depends on the load (a replay slower than real time has reads older than 10 s when sent):
            // the sample must count what the agent actually flagged.
            Assert.Equal(firstOfEach.Count(m => ReplayFixture.Field(m, "historical") == "True"), unit.GetProperty("historical").GetInt32());
            Assert.Equal(camera == "north" ? 1 : 0, unit.GetProperty("duplicates").GetInt32());
            Assert.Equal(1, unit.GetProperty("invalid").GetInt32());
            Assert.Equal("offline (stopped)", unit.GetProperty("state").GetString());
            Assert.Equal("anpr-1080p-ir", unit.GetProperty("profile").GetString());
            Assert.Contains("fps, camera", unit.GetProperty("health").GetString(), StringComparison.Ordinal);
        }
        string log = Text(output);
        Assert.Contains("INVALID pole-17/north", log, StringComparison.Ordinal);
        Assert.Contains("/id: PatternMismatch", log, StringComparison.Ordinal);
        Assert.Contains("plate_text", log, StringComparison.Ordinal);      // named as a field the contract does not have
        Assert.Matches(@"unit\s+reads\s+historical\s+duplicates\s+invalid\s+status\s+last health", log);
        JsonElement north = units.GetProperty("pole-17/north");
        Assert.Matches($@"pole-17/north\s+{north.GetProperty("reads").GetInt32()}\s+{north.GetProperty("historical").GetInt32()}\s+1\s+1\s+" +
                       @"offline \(stopped\)\s+[\d.]+ fps, camera \w+", log);
    }

    /// <summary>The backend's view: a read counts once, as it first arrived (QoS 1 may deliver it again).</summary>
    private static IEnumerable<CapturedMessage> FirstOfEachId(IEnumerable<CapturedMessage> reads)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return reads.Where(m => seen.Add(ReplayFixture.Field(m, "id")));
    }

    private static string Text(StringBuilder output)
    {
        lock (output) return output.ToString();
    }

    private static int Count(StringBuilder output, string what) =>
        Text(output).Split('\n').Count(l => l.StartsWith(what, StringComparison.Ordinal));

    private static async Task Until(Func<bool> condition, string what, StringBuilder output)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"not within 30 s: {what}\n{Text(output)}");
            await Task.Delay(50);
        }
    }
}
