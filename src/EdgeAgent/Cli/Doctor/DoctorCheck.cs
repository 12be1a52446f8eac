using EdgeAgent.Cli.Output;
using EdgeAgent.Core.Profiles;
using EdgeAgent.Settings;

namespace EdgeAgent.Cli.Doctor;

/// <summary>One line of the doctor's report: what was checked, whether it passed, what was seen, and the fix.</summary>
public sealed record CheckResult(string Name, bool Passed, string Detail, string? Fix = null, bool Skipped = false)
{
    public static CheckResult Pass(string name, string detail) => new(name, true, detail);
    public static CheckResult Fail(string name, string detail, string fix) => new(name, false, detail, fix);

    /// <summary>The line as printed: "camera  1920x1080 at 25.0 fps ..." plus "; fix: ..." when it failed.</summary>
    public string Line => $"{Name,-17} {Detail}{(Fix is null ? "" : "; fix: " + Fix)}";
}

/// <summary>What the checks share: the settings as the service would load them, and its hardware profile.</summary>
public sealed class DoctorContext
{
    public required AgentSettings Settings { get; init; }
    /// <summary>Null when the profile or the settings are invalid (the settings line says why).</summary>
    public HardwareProfile? Profile { get; init; }
    /// <summary>How long the camera is watched (and serial lines listened to).</summary>
    public TimeSpan SampleTime { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>How long to wait for a camera to open or a broker to answer.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>A check of the doctor. Never throws for what it checks: a failure is a result with its fix.</summary>
public interface IDoctorCheck
{
    /// <summary>The name used in the report and by --skip.</summary>
    string Name { get; }

    /// <param name="progress">Progress for checks that wait (the camera); may be ignored.</param>
    Task<CheckResult> RunAsync(DoctorContext context, CommandProgress progress, CancellationToken cancellation);
}
