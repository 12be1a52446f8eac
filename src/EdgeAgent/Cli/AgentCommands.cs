using System.CommandLine;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

using EdgeAgent.Cli.Output;
using EdgeAgent.Core.Configuration;
using EdgeAgent.Demo;
using EdgeAgent.Hosting;
using EdgeAgent.Settings;

namespace EdgeAgent.Cli;

/// <summary>run, replay and demo: the commands that start the whole pipeline.</summary>
public static class AgentCommands
{
    public static readonly Option<FileInfo?> ConfigOption = new("--config")
    {
        Description = "A settings file (JSON) applied over /etc/edgeagent/appsettings.json and ./appsettings.json",
        Recursive = true,
    };

    public static Command Run(string[] settingArgs)
    {
        var command = new Command("run", "Run the agent as a service: the configured camera, the outbox and the broker, until stopped");
        command.SetAction((parse, cancellation) => StartAsync(AgentMode.Run, settingArgs, parse.GetValue(ConfigOption),
            configure: null, new CameraRunSettings(), cancellation));
        return command;
    }

    public static Command Replay(string[] settingArgs)
    {
        var video = new Argument<FileInfo>("video") { Description = "A recorded video (any format FFmpeg decodes)" };
        var realtime = new Option<bool>("--realtime") { Description = "Keep the video's original pace instead of running as fast as possible" };
        var drain = new Option<int>("--drain-timeout") { Description = "Seconds to wait for the broker to acknowledge every read at the end", DefaultValueFactory = _ => 60 };
        var truth = ReplayTruth.CreateOption();
        var sweep = ReplayTruth.CreateSweepOption();
        var command = new Command("replay", "Play a recorded video through the whole pipeline (a test rig), then exit once every read is delivered")
        {
            video, realtime, drain, truth, sweep,
        };
        command.SetAction((parse, cancellation) =>
        {
            FileInfo file = parse.GetValue(video)!;
            // On a terminal the progress bars replace the log lines (warnings and errors still show).
            var output = CommandOutput.ForConsole();
            return ReplayTruth.RunAsync(parse.GetValue(truth), parse.GetValue(sweep), beforeRun => StartAsync(AgentMode.Replay, settingArgs, parse.GetValue(ConfigOption),
                s =>
                {
                    // The video replaces whatever cameras the settings name.
                    s.Camera.Source = file.FullName;
                    s.Camera.Sources.Clear();
                },
                new CameraRunSettings { Finite = true, Realtime = parse.GetValue(realtime), DrainTimeout = TimeSpan.FromSeconds(parse.GetValue(drain)) },
                cancellation, new ReplayProgress(output, file.FullName), quietLogs: output.IsTerminal, beforeRun: beforeRun));
        });
        return command;
    }

    public static Command Demo(string[] settingArgs)
    {
        var realtime = new Option<bool>("--realtime") { Description = "Pace the sample like a camera (25 frames/s, about 97 s) instead of as fast as possible" };
        var command = new Command("demo",
            "Replay the bundled sample through the whole pipeline to an MQTT broker (a local one it starts unless Mqtt:Host is set) and print what the backend receives")
        {
            realtime,
        };
        command.SetAction((parse, cancellation) => DemoRunner.RunAsync(settingArgs, parse.GetValue(ConfigOption), parse.GetValue(realtime), cancellation));
        return command;
    }

    /// <summary>Validates settings, builds the host and runs it; returns the exit code.</summary>
    internal static async Task<int> StartAsync(AgentMode mode, string[] settingArgs, FileInfo? configFile,
        Action<AgentSettings>? configure, CameraRunSettings run, CancellationToken cancellation,
        IHostObserver? observer = null, bool quietLogs = false, Action<IServiceProvider>? beforeRun = null)
    {
        try
        {
            var (configuration, settings) = LoadSettings(mode, settingArgs, configFile, quietLogs);
            configure?.Invoke(settings);
            return await RunHostAsync(mode, configuration, settings, run, cancellation, observer, beforeRun).ConfigureAwait(false);
        }
        catch (ConfigurationProblemException e)
        {
            await Console.Error.WriteLineAsync("edgeagent: " + e.Message).ConfigureAwait(false);
            return ExitCodes.BadConfiguration;
        }
    }

    internal static (IConfigurationRoot Configuration, AgentSettings Settings) LoadSettings(AgentMode mode, string[] settingArgs, FileInfo? configFile,
        bool quietLogs = false)
    {
        // The demo prints what the backend receives, and progress bars take the terminal: the agent's own
        // log keeps to warnings there (unless the user sets the level).
        Dictionary<string, string?>? modeDefaults = mode == AgentMode.Demo || quietLogs ? new() { ["Logging:LogLevel:Default"] = "Warning" } : null;
        IConfigurationRoot configuration = SettingsLoader.Build(settingArgs, configFile?.FullName, modeDefaults);
        return (configuration, SettingsLoader.Bind(configuration));
    }

    /// <summary>Validates the (final) settings, then runs the host until it stops; returns the exit code.</summary>
    internal static async Task<int> RunHostAsync(AgentMode mode, IConfiguration configuration, AgentSettings settings,
        CameraRunSettings run, CancellationToken cancellation, IHostObserver? observer = null, Action<IServiceProvider>? beforeRun = null)
    {
        var profile = SettingsValidator.Validate(settings, mode, AgentPaths.HardwareProfiles);
        using IHost host = AgentHostBuilder.Build(mode, settings, profile, configuration, run, Console.Error);
        beforeRun?.Invoke(host.Services);
        var lifetime = host.Services.GetRequiredService<AgentLifetime>();
        if (observer is null)
        {
            await host.RunAsync(cancellation).ConfigureAwait(false);
            return lifetime.ExitCode;
        }
        // RunAsync without its dispose: the observer reads the services' final figures after the stop.
        await host.StartAsync(cancellation).ConfigureAwait(false);
        Task stopped = host.WaitForShutdownAsync(cancellation);
        await observer.WatchAsync(host.Services, stopped).ConfigureAwait(false);
        await stopped.ConfigureAwait(false);
        observer.Finish(host.Services, lifetime.ExitCode);
        return lifetime.ExitCode;
    }
}
