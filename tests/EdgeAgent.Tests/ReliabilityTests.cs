using System.Text;

using EdgeAgent.Core.Configuration;
using EdgeAgent.Core.Ports;
using EdgeAgent.Core.Reads;
using EdgeAgent.Hosting;
using EdgeAgent.Platform;
using EdgeAgent.Settings;
using EdgeAgent.TestSupport;
using EdgeAgent.Transport;

using Microsoft.Extensions.Time.Testing;

using NJsonSchema;

namespace EdgeAgent.Tests;

public class ReliabilityTests
{
    [Fact]
    public async Task HealthReport_Json_MatchesTheContractSchemaAndCarriesNoSecret()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-23T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var report = new HealthReport(time.GetUtcNow(), TimeSpan.FromSeconds(61.25),
            [new CameraSnapshot("cam-01", CameraState.Reopening, time.GetUtcNow(), true, 10, 9, 1, 3, "would not open", null)],
            24.5, new OutboxStats(3, 10, time.GetUtcNow().AddSeconds(-12), 4096), 8192, 1 << 20, 7, 2, 5, 2,
            DiskSpace.Read("/tmp"), new ClockState(true, 0.25, "kernel"),
            new ForwarderStatus(false, 10, 7, 0, 1, 0, "connection to 127.0.0.1:1883 lost: gone", time.GetUtcNow(), null), true, 10);
        string json = Encoding.UTF8.GetString(report.ToJson());

        JsonSchema schema = await JsonSchema.FromFileAsync(Path.Combine(RepoPaths.Root, "contract", "v1", "health.schema.json"));
        Assert.Empty(schema.Validate(json));
        Assert.Contains("\"state\":\"reopening\"", json, StringComparison.Ordinal);
        Assert.Contains("\"oldest_unsent_age_s\":12", json, StringComparison.Ordinal);
        Assert.Contains("\"evicted_unsent\":7", json, StringComparison.Ordinal);
    }

    [Fact]
    public void CameraStateTracker_LiveSourceWithoutFrames_IsReportedStalledAfterTheLimit()
    {
        var time = new FakeTimeProvider();
        var tracker = new CameraStateTracker(time) { StallAfter = TimeSpan.FromSeconds(10) };
        tracker.Opening("cam");
        tracker.Set("cam", CameraState.Streaming, null);
        Assert.Equal(CameraState.Streaming, tracker.Snapshot()[0].State);
        tracker.RunEnded("cam", CameraState.Reopening, "dropped");
        var s = tracker.Snapshot()[0];
        Assert.Equal((CameraState.Reopening, 1, "dropped"), (s.State, s.Reopens, s.LastError));
    }

    [Fact]
    public void Validate_TlsAndCredentialMistakes_OneMessageEachNamingTheFix()
    {
        using var dir = new TempDirectory();
        string key = dir.File("client.key");
        File.WriteAllText(key, "not really a key");
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var s = new AgentSettings();
        s.Mqtt.TlsCertFile = dir.File("missing.pem");
        s.Mqtt.TlsKeyFile = key;
        s.Mqtt.PasswordFile = dir.File("nope");
        s.Storage.MaxBytes = 10;
        s.Health.IntervalSeconds = 0;
        s.Mqtt.DrainRatePerSecond = 0;

        var e = Assert.Throws<ConfigurationProblemException>(() => SettingsValidator.Validate(s, AgentMode.Replay, RepoPaths.HardwareProfiles));

        Assert.Contains(e.Problems, p => p.StartsWith("Mqtt:TlsCertFile/TlsKeyFile need Mqtt:TlsCaFile", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith($"Mqtt:TlsCertFile {dir.File("missing.pem")} does not exist", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Contains("is readable by others", StringComparison.Ordinal) && p.Contains("chmod 600", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("Mqtt:PasswordFile needs Mqtt:Username", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("Storage:MaxBytes is 10", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("Health:IntervalSeconds is 0", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("Mqtt:DrainRatePerSecond is 0", StringComparison.Ordinal));
        Assert.DoesNotContain(e.Problems, p => p.Contains("not really a key", StringComparison.Ordinal));
    }

    [Fact]
    public void DiskSpace_Tmp_HasSaneFigures()
    {
        DiskUsage? usage = DiskSpace.Read(Path.Combine(Path.GetTempPath(), "no-such-folder", "outbox.db"));   // the nearest existing folder
        Assert.NotNull(usage);
        Assert.InRange(usage.FreeBytes, 1, usage.TotalBytes);
    }

    // With a notify socket it is tested end to end (FaultTests.SupervisionTests): libsystemd reads the process's
    // native environment, which Environment.SetEnvironmentVariable does not change, so not in process here.
    [Fact]
    public void SystemdNotifier_OutsideSystemd_DoesNothing()
    {
        if (SystemdNotifier.IsSupervised) return;   // the test runner itself under systemd: nothing to show
        Assert.False(new SystemdNotifier().Watchdog());
        Assert.Null(new SystemdNotifier().WatchdogInterval());
    }
}
