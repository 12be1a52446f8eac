using System.Text.Json;

using EdgeAgent.Privacy.Keys;
using EdgeAgent.TestSupport;

using NJsonSchema;

using Xunit.Abstractions;

namespace EdgeAgent.FaultTests;

/// <summary>What every fault test sets up: a folder with an outbox path and a unit key, the agent's arguments, and figures.</summary>
public sealed class FaultRig : IDisposable
{
    private readonly TempDirectory _dir = new("edgeagent-fault");
    private readonly ITestOutputHelper _output;

    public FaultRig(ITestOutputHelper output)
    {
        _output = output;
        UnitSecret.Create(KeyPath);
    }

    public string Folder => _dir.Path;
    public string OutboxPath => _dir.File("outbox.db");
    public string KeyPath => _dir.File("unit.key");

    /// <summary>The settings every agent run in these tests gets (broker, outbox, key, topics, fast health).</summary>
    public IEnumerable<string> Settings(MosquittoBroker broker, int? port = null, string? outboxPath = null) =>
    [
        $"--Mqtt:Host={broker.Host}", $"--Mqtt:Port={port ?? broker.Port}",
        $"--Storage:Path={outboxPath ?? OutboxPath}", $"--Privacy:KeyFile={KeyPath}",
        "--Mqtt:Site=fault-site", "--Mqtt:CameraId=fault-cam", $"--Camera:Profile={FaultVideos.Profile}",
        "--Health:IntervalSeconds=2",
    ];

    /// <summary>
    /// A figure for the test output and the closing note (shown with `dotnet test --logger "console;verbosity=detailed"`),
    /// also appended to $EDGEAGENT_FAULT_FIGURES (default /tmp/edgeagent-fault-figures.txt).
    /// </summary>
    public void Figure(string text)
    {
        _output.WriteLine("FIGURE " + text);
        // test.sh and tools/faults.sh each name their own file, so runs side by side on one machine keep theirs apart.
        string file = Environment.GetEnvironmentVariable("EDGEAGENT_FAULT_FIGURES") is { Length: > 0 } named
            ? named : Path.Combine(Path.GetTempPath(), "edgeagent-fault-figures.txt");
        File.AppendAllText(file, $"{DateTime.UtcNow:O} {text}\n");
    }

    public static IEnumerable<CapturedMessage> Reads(IEnumerable<CapturedMessage> messages) =>
        messages.Where(m => m.Topic.EndsWith("/read", StringComparison.Ordinal));

    public static IEnumerable<CapturedMessage> Health(IEnumerable<CapturedMessage> messages) =>
        messages.Where(m => m.Topic.EndsWith("/health", StringComparison.Ordinal));

    public static string Id(CapturedMessage m)
    {
        using JsonDocument doc = m.Json();
        return doc.RootElement.GetProperty("id").GetString()!;
    }

    public static bool Historical(CapturedMessage m)
    {
        using JsonDocument doc = m.Json();
        return doc.RootElement.GetProperty("historical").GetBoolean();
    }

    public static async Task AssertMatchesHealthSchemaAsync(IEnumerable<CapturedMessage> health)
    {
        JsonSchema schema = await JsonSchema.FromFileAsync(Path.Combine(RepoPaths.Root, "contract", "v1", "health.schema.json"));
        foreach (CapturedMessage m in health)
        {
            var errors = schema.Validate(m.Text);
            Assert.True(errors.Count == 0, $"{m.Text}\n does not match health.schema.json: {string.Join("; ", errors)}");
        }
    }

    public void Dispose() => _dir.Dispose();
}
