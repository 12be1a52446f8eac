using System.Diagnostics;
using System.Text;
using System.Text.Json;

using EdgeAgent.Core.Ports;
using EdgeAgent.Privacy.Keys;
using EdgeAgent.Privacy.Policy;
using EdgeAgent.Storage.Audit;
using EdgeAgent.TestSupport;

namespace EdgeAgent.IntegrationTests;

/// <summary>
/// The privacy story of one unit, played once through the real agent (`edgeagent run` on a 3.6 s clip of the
/// bundled sample, looping like a camera) and a real broker, shared by the tests that examine it: a signed
/// policy from the policy file adds a police recipient with evidence; police asks for the evidence of a read
/// and gets it; the charging recipient asks and is refused; an unsigned and a wrongly signed policy arrive
/// over MQTT and are refused; then a second run with zero retention purges everything.
/// </summary>
public sealed class PrivacyFixture : IAsyncLifetime
{
    public const string Site = "e2e-site";
    public const string Camera = "e2e-cam";
    public const string Plate = "VT25SEP";   // the only vehicle in the clip (sample truth, frames 26-50)
    public static readonly TimeSpan Wait = TimeSpan.FromMinutes(4);
    public static string ChargingRoot => $"anpr/v1/{Site}/{Camera}";
    public static string PoliceRoot => $"police/v1/{Site}/{Camera}";

    private readonly TempDirectory _dir = new("edgeagent-privacy-e2e");
    private MosquittoBroker? _broker;
    private MqttCapture? _anpr, _police;

    public string Folder => _dir.Path;
    public string OutboxPath => _dir.File("state/outbox.db");
    public string AuditPath => _dir.File("state/audit.jsonl");
    public string AuthorityKeyId { get; private set; } = "";

    public string ReadId { get; private set; } = "";
    public CapturedMessage EvidenceOk { get; private set; } = null!;
    public CapturedMessage ChargingRefusal { get; private set; } = null!;
    public CapturedMessage UnsignedResult { get; private set; } = null!;
    public CapturedMessage StrangerResult { get; private set; } = null!;
    public int PoliceReadsAfterRefusals { get; private set; }
    public int FirstRunExit { get; private set; }
    public int SecondRunExit { get; private set; }
    public string AgentOutput { get; private set; } = "";
    public AgentRun VerifyAfterFirstRun { get; private set; } = null!;
    public IReadOnlyList<AuditEntry> AuditAfterFirstRun { get; private set; } = [];
    public IReadOnlyList<AuditEntry> AuditAfterSecondRun { get; private set; } = [];
    public AgentRun VerifyAfterSecondRun { get; private set; } = null!;
    public IReadOnlyList<CapturedMessage> Messages { get; private set; } = [];

    /// <summary>
    /// Every file under the unit's folder as it was while the agent ran, after evidence was kept: the outbox's
    /// WAL and shared memory are only there then (an orderly stop checkpoints the WAL into the database).
    /// </summary>
    public IReadOnlyList<(string Where, byte[] Bytes)> FilesWhileRunning { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir.File("state"));
        UnitSecret.Create(_dir.File("unit.key"));
        var (authorityPrivate, authorityPublic) = AuthorityKey.Generate();
        File.WriteAllText(_dir.File("authority.pub"), authorityPublic);
        using (AuthorityKey signer = ImportPem(authorityPrivate))
        {
            AuthorityKeyId = signer.KeyId;
            File.WriteAllBytes(_dir.File("policy.json"), PolicyDocument.Sign(Encoding.UTF8.GetBytes(PolicyJson(2)), signer));
        }
        await CutClipAsync(_dir.File("clip.mp4"));

        _broker = await MosquittoBroker.StartAsync();
        _anpr = await MqttCapture.StartAsync(_broker, "anpr/v1/#");
        _police = await MqttCapture.StartAsync(_broker, "police/v1/#");

        await using (RunningAgent agent = RunningAgent.Start(Arguments(), _dir.Path))
        {
            try
            {
                await FirstRunAsync(agent);
            }
            finally
            {
                FirstRunExit = await agent.StopAsync(TimeSpan.FromSeconds(60));
                AgentOutput = agent.Output;
            }
        }
        VerifyAfterFirstRun = await AgentProcess.RunAsync(["audit", "verify", $"--Storage:Path={OutboxPath}"], TimeSpan.FromMinutes(1));
        AuditAfterFirstRun = AuditVerifier.ReadAll(AuditPath);

        // Zero retention and no new evidence: everything delivered and every image is due at once.
        await using (RunningAgent agent = RunningAgent.Start([.. Arguments(), "--Retention:EvidenceHours=0", "--Retention:DeliveredReadsHours=0",
                         "--Retention:PurgeIntervalSeconds=1", "--Evidence:Enabled=false"], _dir.Path))
        {
            try
            {
                await Until(() => File.Exists(AuditPath) && AuditVerifier.ReadAll(AuditPath)
                    .Any(e => e.Kind == AuditKinds.RetentionPurged && e.Details["what"] == "evidence"), "the evidence was purged", agent);
            }
            finally
            {
                SecondRunExit = await agent.StopAsync(TimeSpan.FromSeconds(60));
                AgentOutput += agent.Output;
            }
        }
        AuditAfterSecondRun = AuditVerifier.ReadAll(AuditPath);
        VerifyAfterSecondRun = await AgentProcess.RunAsync(["audit", "verify", "--path", AuditPath], TimeSpan.FromMinutes(1));
        Messages = [.. _anpr.Messages, .. _police.Messages];
    }

    private string[] Arguments() =>
    [
        "run",
        $"--Camera:Source={_dir.File("clip.mp4")}",
        $"--Mqtt:Host={_broker!.Host}", $"--Mqtt:Port={_broker.Port}", $"--Mqtt:Site={Site}", $"--Mqtt:CameraId={Camera}",
        $"--Storage:Path={OutboxPath}", $"--Privacy:KeyFile={_dir.File("unit.key")}",
        $"--Privacy:AuthorityKeyFile={_dir.File("authority.pub")}", $"--Privacy:PolicyFile={_dir.File("policy.json")}",
        "--Privacy:AuditHeadSeconds=5",
    ];

    private async Task FirstRunAsync(RunningAgent agent)
    {
        // The signed policy from the file is in force: police receives reads of its own.
        CapturedMessage policeRead = await WaitMessage(_police!, m => m.Topic == PoliceRoot + "/read", "a read for the police recipient", agent);
        ReadId = Field(policeRead, "id");

        // Evidence appears once the worker has redacted it; until then the answer is not_found.
        int n = 0;
        while (EvidenceOk is null)
        {
            string requestId = $"police-{++n}";
            Publish(PoliceRoot + "/evidence/request", $$"""{"v":1,"request_id":"{{requestId}}","read_id":"{{ReadId}}"}""");
            CapturedMessage answer = await WaitMessage(_police!, m => m.Topic == PoliceRoot + "/evidence/response" && m.Text.Contains(requestId, StringComparison.Ordinal),
                "an answer to an evidence request", agent);
            if (Field(answer, "status") == "ok") EvidenceOk = answer;
            else if (Field(answer, "status") != "not_found") throw new InvalidOperationException($"unexpected answer {answer}");
            else await Task.Delay(2000);
        }

        FilesWhileRunning = ReadFilesNow();

        Publish(ChargingRoot + "/evidence/request", $$"""{"v":1,"request_id":"charging-1","read_id":"{{ReadId}}"}""");
        ChargingRefusal = await WaitMessage(_anpr!, m => m.Topic == ChargingRoot + "/evidence/response", "the charging recipient's answer", agent);

        Publish(ChargingRoot + "/policy", $"{{\"policy\": {PolicyJson(3)}}}");
        UnsignedResult = await WaitMessage(_anpr!, m => m.Topic == ChargingRoot + "/policy/result", "the unsigned policy's result", agent);
        var (strangerPrivate, _) = AuthorityKey.Generate();
        using (AuthorityKey stranger = ImportPem(strangerPrivate))
            Publish(ChargingRoot + "/policy", Encoding.UTF8.GetString(PolicyDocument.Sign(Encoding.UTF8.GetBytes(PolicyJson(4)), stranger)));
        StrangerResult = await WaitMessage(_anpr!, m => m.Topic == ChargingRoot + "/policy/result" && m != UnsignedResult, "the wrongly signed policy's result", agent);

        // The old policy stays: police still receives reads (the clip loops, so new passes keep coming).
        int before = _police!.Messages.Count(m => m.Topic == PoliceRoot + "/read");
        await Until(() => _police.Messages.Count(m => m.Topic == PoliceRoot + "/read") > before, "another police read after the refusals", agent);
        PoliceReadsAfterRefusals = _police.Messages.Count(m => m.Topic == PoliceRoot + "/read") - before;

        // The audit head catches up with the refusals and the disclosure.
        await Until(() => _anpr!.Messages.Any(m => m.Topic == ChargingRoot + "/audit" && long.Parse(Field(m, "seq"), System.Globalization.CultureInfo.InvariantCulture) >= 5),
            "an audit head covering the disclosure and the refusals", agent);
    }

    private List<(string, byte[])> ReadFilesNow()
    {
        var files = new List<(string, byte[])>();
        foreach (string file in Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories))
        {
            try
            {
                // SQLite keeps these open and locks with fcntl, which a shared read does not disturb.
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                files.Add(($"{file} (while running)", copy.ToArray()));
            }
            catch (FileNotFoundException)
            {
                // Gone between the listing and the read (a journal or temporary file): nothing left to search.
            }
        }
        return files;
    }

    public static string PolicyJson(int version) => $$"""
        {
          "format": "edgeagent-policy/1", "version": {{version}}, "issuer": "integration test authority",
          "recipients": [
            { "name": "charging", "topic_root": "anpr/v1/{site}/{camera}",
              "fields": ["plate_hash", "key_id", "time", "site", "camera", "lane", "direction", "confidence", "layout", "clock"] },
            { "name": "police", "topic_root": "police/v1/{site}/{camera}", "fields": ["plate_hash", "key_id", "time"], "evidence": true }
          ]
        }
        """;

    public static string Field(CapturedMessage message, string name)
    {
        using JsonDocument doc = message.Json();
        return doc.RootElement.TryGetProperty(name, out JsonElement value) ? value.ToString() : "";
    }

    private void Publish(string topic, string payload) => _anpr!.Client.Publish(topic, Encoding.UTF8.GetBytes(payload));

    private static async Task<CapturedMessage> WaitMessage(MqttCapture capture, Func<CapturedMessage, bool> predicate, string what, RunningAgent agent)
    {
        try
        {
            return await capture.WaitForMessageAsync(predicate, Wait);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"never saw {what}; agent output:\n{agent.Output}");
        }
    }

    private static async Task Until(Func<bool> condition, string what, RunningAgent agent)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Wait || agent.HasExited) throw new TimeoutException($"never saw {what}; agent output:\n{agent.Output}");
            await Task.Delay(250);
        }
    }

    private AuthorityKey ImportPem(string pem)
    {
        string path = _dir.File($"key-{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, pem);
        try
        {
            return AuthorityKey.Load(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    // The first 90 frames (3.6 s) of the bundled sample: one vehicle. Copied, not re-encoded: the first frame is a key frame.
    private static async Task CutClipAsync(string clip)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (string a in new[] { "-v", "error", "-y", "-i", SampleTruth.BundledSample, "-frames:v", "90", "-c", "copy", "-an", clip }) start.ArgumentList.Add(a);
        using Process ffmpeg = Process.Start(start)!;
        string errors = await ffmpeg.StandardError.ReadToEndAsync();
        await ffmpeg.WaitForExitAsync();
        if (ffmpeg.ExitCode != 0) throw new InvalidOperationException($"ffmpeg could not cut the clip: {errors}");
    }

    public async Task DisposeAsync()
    {
        if (_anpr is not null) await _anpr.DisposeAsync();
        if (_police is not null) await _police.DisposeAsync();
        if (_broker is not null) await _broker.DisposeAsync();
        _dir.Dispose();
    }
}
