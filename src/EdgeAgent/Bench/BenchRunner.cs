using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

using Spectre.Console;

using EdgeAgent.Core.Configuration;
using EdgeAgent.Core.Pipeline;
using EdgeAgent.Core.Profiles;
using EdgeAgent.Demo;
using EdgeAgent.Hosting;
using EdgeAgent.Settings;

namespace EdgeAgent.Bench;

/// <summary>What `edgeagent bench` was asked to do.</summary>
public sealed record BenchOptions
{
    public required string Video { get; init; }
    public FileInfo? Json { get; init; }
    public bool NoMqtt { get; init; }
    public int Cameras { get; init; } = 1;
    public int WarmupFrames { get; init; } = 100;
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// `edgeagent bench`: the whole agent on a video, as `replay` runs it (decode, find, read, track, hash,
/// outbox, MQTT), with a <see cref="FrameLoopMeter"/> on the frame loops; then the video's decode-only
/// rate (the ceiling). Prints a table, writes the JSON, and ends with the one-line summary.
/// </summary>
public static class BenchRunner
{
    public static async Task<int> RunAsync(BenchOptions options, string[] settingArgs, FileInfo? configFile, CancellationToken cancellation)
    {
        string video = Path.GetFullPath(options.Video);
        if (!File.Exists(video))
        {
            await Console.Error.WriteLineAsync($"edgeagent bench: video file {video} does not exist").ConfigureAwait(false);
            return ExitCodes.SourceFailed;
        }
        string folder = Directory.CreateTempSubdirectory("edgeagent-bench-").FullName;
        DemoBroker? broker = null;
        try
        {
            var (configuration, settings, profile) = Configure(options, video, folder, settingArgs, configFile);
            if (!options.NoMqtt && string.IsNullOrWhiteSpace(settings.Mqtt.Host))
            {
                broker = await DemoBroker.StartAsync(cancellation).ConfigureAwait(false);
                settings.Mqtt.Host = broker.Host;
                settings.Mqtt.Port = broker.Port;
                Say($"started a local mosquitto broker on {broker.Host}:{broker.Port}");
            }
            bool mqtt = !string.IsNullOrWhiteSpace(settings.Mqtt.Host);
            Say($"pipeline: {options.Cameras} camera(s), MQTT {(mqtt ? $"to {settings.Mqtt.Host}:{settings.Mqtt.Port}" : "off")}, " +
                $"measuring after {options.WarmupFrames} warm-up frames");

            // The pipeline runs first, so that its peak memory is its own (freed native buffers of an earlier
            // phase stay in the C heap and would count); the peak is reset past the start-up.
            ProcessMemory.ResetPeak();
            var meter = new FrameLoopMeter(options.WarmupFrames) { ThreadCpuNanoseconds = Platform.ThreadCpuClock.Nanoseconds };
            var run = new CameraRunSettings { Finite = true, DrainTimeout = options.DrainTimeout, Meter = meter };
            using IHost host = AgentHostBuilder.Build(AgentMode.Replay, settings, profile, configuration, run, TextWriter.Null);
            var recorder = host.Services.GetRequiredService<ReadRecorder>();
            var camera = host.Services.GetRequiredService<CameraService>();
            var forwarder = host.Services.GetService<ForwarderService>();
            var lifetime = host.Services.GetRequiredService<AgentLifetime>();
            var evidence = host.Services.GetService<EvidenceRecorder>();
            await host.RunAsync(cancellation).ConfigureAwait(false);
            double rssMb = ProcessMemory.PeakResidentBytes() / (1024.0 * 1024.0);
            if (lifetime.ExitCode != ExitCodes.Ok)
            {
                await Console.Error.WriteLineAsync($"edgeagent bench: the pipeline run ended with exit code {lifetime.ExitCode} (see the log above)").ConfigureAwait(false);
                return lifetime.ExitCode;
            }
            if (meter.Window is not { } window)
                throw new ConfigurationProblemException("--warmup",
                    $"the video ended before the {options.WarmupFrames} warm-up frames were processed: give a smaller --warmup or a longer video");

            Say($"decode-only: {Path.GetFileName(video)} on {options.Cameras} stream(s)");
            DecodeBenchmark.Result decode = DecodeBenchmark.Run(video, options.Cameras, cancellation);
            Say($"decode-only: {decode.Frames} frames in {decode.Seconds:0.0} s ({decode.FramesPerSecond:0.0} frames/s, {decode.CpuMsPerFrame:0.00} CPU ms per frame)");

            var (latencyP50, latencyP99) = recorder.LatencyMs;
            PipelineCounters c = window.Counters;
            var result = new BenchResult
            {
                Video = video,
                Cameras = options.Cameras,
                Mqtt = mqtt,
                WarmupFrames = options.WarmupFrames,
                Frames = window.Frames,
                Seconds = window.Seconds,
                Fps = window.FramesPerSecond,
                MsP50 = window.FrameMsP50,
                MsP99 = window.FrameMsP99,
                AllocBytesPerFrame = window.Frames > 0 ? (double)window.AllocatedBytes / window.Frames : 0,
                LoopAllocBytesPerFrame = window.Frames > 0 ? (double)window.LoopAllocatedBytes / window.Frames : 0,
                FramesAllocatingWithoutPass = window.FramesAllocatingWithoutPass,
                Gc0 = window.Gen0,
                Gc1 = window.Gen1,
                Gc2 = window.Gen2,
                RssMb = rssMb,
                DecodeFps = decode.FramesPerSecond,
                DecodeCpuMsPerFrame = decode.CpuMsPerFrame,
                CpuMsPerFrame = window.CpuMsPerFrame,
                LoopCpuMsPerFrame = window.LoopCpuMsPerFrame,
                CaptureCpuMsPerFrame = window.CaptureCpuMsPerFrame,
                ProcessingWaitMsPerFrame = window.ProcessingWaitMsPerFrame,
                CaptureWaitMsPerFrame = window.CaptureWaitMsPerFrame,
                FindMsPerFrame = window.MsPerFrame(c.FindTicks),
                ReadMsPerFrame = window.MsPerFrame(c.ReadTicks),
                TrackMsPerFrame = window.MsPerFrame(c.TrackTicks),
                CandidatesPerFrame = window.Frames > 0 ? (double)c.Candidates / window.Frames : 0,
                ReadAttemptsPerFrame = window.Frames > 0 ? (double)c.ReadAttempts / window.Frames : 0,
                FullSearchShare = c.Frames > 0 ? (double)c.FullSearches / c.Frames : 0,
                SearchedShare = c.RegionArea > 0 ? (double)c.SearchedArea / c.RegionArea : 0,
                Dropped = camera.Runners.Values.Sum(r => r.FramesDropped),
                Reads = recorder.Recorded,
                ReadLatencyMsP50 = latencyP50,
                ReadLatencyMsP99 = latencyP99,
                Published = forwarder?.Forwarder.Status.Acknowledged ?? 0,
                EvidenceEnabled = evidence is not null,
                EvidenceKept = evidence?.Stored ?? 0,
                EvidenceDropped = evidence?.Dropped ?? 0,
            };
            result.WriteTable(CreateConsole());
            foreach (LoopMeter loop in meter.Loops)
                foreach (var (frame, bytes, collections, inWindow) in loop.AllocatingFrames)
                    Say($"{loop.Pipeline.CameraId} frame {frame} allocated {bytes} bytes without ending a pass" +
                        (inWindow ? "" : " (warm-up, not counted)") +
                        (collections > 0 ? $" ({collections} garbage collection(s) ran while it was processed)" : ""));
            if (options.Json is { } json)
            {
                await using FileStream stream = File.Create(json.FullName);
                result.WriteJson(stream);
                Say($"wrote {json.FullName}");
            }
            Console.WriteLine(result.SummaryLine);
            return ExitCodes.Ok;
        }
        catch (ConfigurationProblemException e)
        {
            await Console.Error.WriteLineAsync("edgeagent: " + e.Message).ConfigureAwait(false);
            return ExitCodes.BadConfiguration;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("edgeagent bench: interrupted; no figures").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
        catch (Core.Ports.FrameSourceException e)
        {
            await Console.Error.WriteLineAsync("edgeagent bench: " + e.Message).ConfigureAwait(false);
            return ExitCodes.SourceFailed;
        }
        finally
        {
            if (broker is not null) await broker.DisposeAsync().ConfigureAwait(false);
            TryDelete(folder);
        }
    }

    private static (IConfigurationRoot, AgentSettings, HardwareProfile) Configure(BenchOptions options, string video, string folder,
        string[] settingArgs, FileInfo? configFile)
    {
        // The table is the output: the agent's own log keeps to warnings unless the user sets the level.
        var modeDefaults = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" };
        IConfigurationRoot configuration = SettingsLoader.Build(settingArgs, configFile?.FullName, modeDefaults);
        AgentSettings settings = SettingsLoader.Bind(configuration);
        // Several cameras are the same video played by as many frame loops at once (cam-01, cam-02, ...).
        settings.Camera.Source = options.Cameras == 1 ? video : "";
        settings.Camera.Sources = options.Cameras == 1 ? []
            : [.. Enumerable.Range(1, options.Cameras).Select(i => new CameraSourceSettings { Id = $"cam-{i:00}", Source = video })];
        if (string.IsNullOrWhiteSpace(settings.Storage.Path)) settings.Storage.Path = Path.Combine(folder, "outbox.db");
        if (options.NoMqtt) settings.Mqtt.Host = "";
        HardwareProfile profile = SettingsValidator.Validate(settings, AgentMode.Replay, AgentPaths.HardwareProfiles);
        return (configuration, settings, profile);
    }

    // Plain text when the output goes to a file or a pipe, wide enough that the notes do not wrap.
    private static IAnsiConsole CreateConsole()
    {
        bool redirected = Console.IsOutputRedirected;
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        if (redirected) console.Profile.Width = 132;
        return console;
    }

    private static void Say(string line) => Console.Error.WriteLine("bench: " + line);

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }
}
