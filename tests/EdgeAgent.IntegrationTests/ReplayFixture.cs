using System.Text.Json;

using Microsoft.Data.Sqlite;

using EdgeAgent.Core.Ports;
using EdgeAgent.Privacy.Keys;
using EdgeAgent.TestSupport;

namespace EdgeAgent.IntegrationTests;

/// <summary>
/// One replay of the bundled sample through the real agent process to a real broker, shared by the tests
/// that examine its results: the exit, the messages a backend received, and the files the agent wrote.
/// </summary>
public sealed class ReplayFixture : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("edgeagent-replay");
    private MosquittoBroker? _broker;
    private MqttCapture? _capture;

    public AgentRun Run { get; private set; } = null!;
    public IReadOnlyList<CapturedMessage> Messages { get; private set; } = [];
    public IReadOnlyList<TruthRow> Truth { get; } = SampleTruth.Load(SampleTruth.BundledSample);
    public string Folder => _dir.Path;
    public string OutboxPath => _dir.File("outbox.db");
    public string KeyPath => _dir.File("unit.key");
    public UnitSecret Secret { get; private set; } = null!;

    /// <summary>The evidence images the replay kept (read from the outbox after the agent exited).</summary>
    public IReadOnlyList<EvidenceRecord> Evidence { get; private set; } = [];

    /// <summary>`edgeagent audit verify` on the chain the replay wrote.</summary>
    public AgentRun AuditVerify { get; private set; } = null!;

    public IEnumerable<CapturedMessage> Reads => Messages.Where(m => m.Topic.EndsWith("/read", StringComparison.Ordinal));

    public async Task InitializeAsync()
    {
        Secret = UnitSecret.Create(KeyPath);
        _broker = await MosquittoBroker.StartAsync();
        _capture = await MqttCapture.StartAsync(_broker, "anpr/v1/#");
        Run = await AgentProcess.RunAsync(
        [
            "replay", SampleTruth.BundledSample,
            $"--Mqtt:Host={_broker.Host}", $"--Mqtt:Port={_broker.Port}",
            $"--Storage:Path={OutboxPath}", $"--Privacy:KeyFile={KeyPath}",
            "--Mqtt:Site=test-site", "--Mqtt:CameraId=test-cam",
        ], TimeSpan.FromMinutes(10), workingDirectory: _dir.Path);
        // The orderly stop's status is the last message; wait for it rather than for a fixed time.
        Messages = await _capture.WaitForAsync(
            all => all.Any(m => m.Topic.EndsWith("/status", StringComparison.Ordinal) && m.Text.Contains("stopped", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        Evidence = ReadEvidence(OutboxPath);
        AuditVerify = await AgentProcess.RunAsync(["audit", "verify", $"--Storage:Path={OutboxPath}"], TimeSpan.FromMinutes(1), workingDirectory: _dir.Path);
    }

    private static IReadOnlyList<EvidenceRecord> ReadEvidence(string outbox)
    {
        using var connection = new SqliteConnection($"Data Source={outbox};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT read_id, captured_at, plate_jpeg, overview_jpeg, redaction FROM evidence ORDER BY read_id";
        using SqliteDataReader reader = command.ExecuteReader();
        var rows = new List<EvidenceRecord>();
        while (reader.Read())
            rows.Add(new EvidenceRecord(reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                (byte[])reader.GetValue(2), (byte[])reader.GetValue(3), reader.GetString(4)));
        return rows;
    }

    public async Task DisposeAsync()
    {
        if (_capture is not null) await _capture.DisposeAsync();
        if (_broker is not null) await _broker.DisposeAsync();
        _dir.Dispose();
    }

    public static string Field(CapturedMessage message, string name)
    {
        using JsonDocument doc = message.Json();
        return doc.RootElement.GetProperty(name).ToString();
    }
}
