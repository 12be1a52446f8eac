using System.CommandLine;
using System.Globalization;

using EdgeAgent.Cli.Doctor;
using EdgeAgent.Cli.Output;
using EdgeAgent.Core.Configuration;
using EdgeAgent.Core.Profiles;
using EdgeAgent.Hosting;
using EdgeAgent.Platform;
using EdgeAgent.Settings;

namespace EdgeAgent.Cli;

/// <summary>
/// edgeagent doctor: checks a unit the way the service would run it, one line per check with the fix for
/// each failure, and exits 0 only when every check passed. For the engineer on the ladder.
/// </summary>
public static class DoctorCommand
{
    public static readonly IReadOnlyList<string> CheckNames =
        ["settings", "native libraries", "camera", "broker", "disk space", "clock sync", "key permissions", "policy signature", "serial devices"];

    public static Command Create(string[] settingArgs)
    {
        var skip = new Option<string[]>("--skip")
        {
            Description = "Checks to leave out (shown as skipped, not passed), e.g. --skip clock --skip serial: " + string.Join(", ", CheckNames),
            AllowMultipleArgumentsPerToken = true,
        };
        var seconds = new Option<double>("--seconds") { Description = "How long to watch the camera and listen to serial inputs", DefaultValueFactory = _ => 2 };
        var user = new Option<string?>("--user") { Description = "The service's user, who must own the secrets (default: edgeagent when it exists, else you)" };
        var command = new Command("doctor",
            "Check this unit as the service would run it: native libraries, camera, broker, disk, clock, key permissions, policy, serial devices; exit 0 only when all pass")
        {
            skip, seconds, user,
        };
        command.SetAction((parse, cancellation) => RunAsync(settingArgs, parse.GetValue(AgentCommands.ConfigOption), parse.GetValue(skip) ?? [],
            TimeSpan.FromSeconds(Math.Clamp(parse.GetValue(seconds), 0.5, 60)), parse.GetValue(user), CommandOutput.ForConsole(), cancellation));
        return command;
    }

    internal static async Task<int> RunAsync(string[] settingArgs, FileInfo? configFile, IReadOnlyList<string> skip, TimeSpan sampleTime,
        string? serviceUser, CommandOutput output, CancellationToken cancellation)
    {
        var skipped = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string name in skip.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            string? match = CheckNames.FirstOrDefault(c => c.StartsWith(name, StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                await Console.Error.WriteLineAsync($"edgeagent: --skip {name} names no check (checks: {string.Join(", ", CheckNames)})").ConfigureAwait(false);
                return ExitCodes.BadConfiguration;
            }
            skipped.Add(match);
        }

        var results = new List<CheckResult>();
        (AgentSettings? settings, HardwareProfile? profile, CheckResult settingsResult) = LoadSettings(settingArgs, configFile);
        results.Add(settingsResult);
        var context = new DoctorContext { Settings = settings ?? new AgentSettings(), Profile = profile, SampleTime = sampleTime };
        string user = serviceUser ?? (UnixAccounts.Lookup("edgeagent") is not null ? "edgeagent" : Environment.UserName);
        var serial = new SerialListening(context);
        IDoctorCheck[] checks =
        [
            new NativeLibrariesCheck(), new CameraCheck(), new BrokerCheck(), new DiskSpaceCheck(), new ClockCheck(serial),
            new KeyFilesCheck(user, configFile?.FullName ?? (File.Exists(SettingsLoader.SystemConfigFile) ? SettingsLoader.SystemConfigFile : null)),
            new PolicyCheck(), new SerialDevicesCheck(serial),
        ];
        if (!output.IsTerminal) output.Mark(settingsResult.Passed, settingsResult.Line);

        await output.ProgressAsync("doctor", async progress =>
        {
            ProgressItem overall = progress.Add("checks", checks.Length, terminalOnly: true);
            foreach (IDoctorCheck check in checks)
            {
                overall.Describe($"checks: {check.Name}");
                CheckResult result = skipped.Contains(check.Name)
                    ? new CheckResult(check.Name, true, "skipped (--skip)", Skipped: true)
                    : await check.RunAsync(context, progress, cancellation).ConfigureAwait(false);
                results.Add(result);
                if (!output.IsTerminal)
                {
                    if (result.Skipped) output.Line("SKIP " + result.Line);
                    else output.Mark(result.Passed, result.Line);
                }
                overall.Increment();
            }
            overall.Complete("done");
            return 0;
        }).ConfigureAwait(false);

        int failed = results.Count(r => !r.Passed);
        int passed = results.Count(r => r.Passed && !r.Skipped);
        if (output.IsTerminal)
            output.Table("edgeagent doctor", ["check", "result", "detail", "fix"],
                results.Select(r => (IReadOnlyList<string>)[r.Name, r.Skipped ? "SKIP" : r.Passed ? "PASS" : "FAIL", r.Detail, r.Fix ?? ""]));
        output.Line(string.Create(CultureInfo.InvariantCulture,
            $"doctor: {passed} passed, {failed} failed, {results.Count(r => r.Skipped)} skipped{(failed == 0 ? "" : ": fix the FAIL lines and run it again")}"));
        return failed == 0 ? ExitCodes.Ok : ExitCodes.DoctorFailed;
    }

    // Settings load and validate as for `run`; the checks go on with whatever could be loaded.
    private static (AgentSettings?, HardwareProfile?, CheckResult) LoadSettings(string[] settingArgs, FileInfo? configFile)
    {
        AgentSettings settings;
        try
        {
            (_, settings) = AgentCommands.LoadSettings(AgentMode.Run, settingArgs, configFile);
        }
        catch (ConfigurationProblemException e)
        {
            return (null, null, CheckResult.Fail("settings", string.Join("; ", e.Problems), "correct the settings named (edgeagent provision writes them)"));
        }
        string from = configFile?.FullName ?? SettingsLoader.SystemConfigFile;
        try
        {
            HardwareProfile profile = SettingsValidator.Validate(settings, AgentMode.Run, AgentPaths.HardwareProfiles);
            return (settings, profile, CheckResult.Pass("settings", $"{from}: valid; site {settings.Mqtt.Site}, camera {settings.Mqtt.CameraId}, profile {profile.Name}"));
        }
        catch (ConfigurationProblemException e)
        {
            HardwareProfile? profile = null;
            try
            {
                profile = HardwareProfileLoader.Load(settings.Camera.Profile, AgentPaths.HardwareProfiles);
            }
            catch (ConfigurationProblemException)
            {
                // Reported with the other problems.
            }
            return (settings, profile, CheckResult.Fail("settings", $"{from}: {string.Join("; ", e.Problems)}", "correct the settings named (edgeagent provision writes them)"));
        }
    }
}
