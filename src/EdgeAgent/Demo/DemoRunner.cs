using EdgeAgent.Cli;
using EdgeAgent.Core.Configuration;
using EdgeAgent.Hosting;
using EdgeAgent.Settings;

namespace EdgeAgent.Demo;

/// <summary>
/// `edgeagent demo`: the bundled sample, replayed through the whole pipeline to a broker, with a backend
/// subscriber printing every message it receives, then a summary against the sample's ground truth.
/// </summary>
public static class DemoRunner
{
    public static async Task<int> RunAsync(string[] settingArgs, FileInfo? configFile, bool realtime, CancellationToken cancellation)
    {
        DemoBroker? broker = null;
        try
        {
            var (configuration, settings) = AgentCommands.LoadSettings(AgentMode.Demo, settingArgs, configFile);
            settings.Camera.Source = AgentPaths.BundledSample;
            settings.Camera.Sources.Clear();
            if (!File.Exists(settings.Camera.Source))
                throw new ConfigurationProblemException("demo", $"the bundled sample {settings.Camera.Source} is missing: reinstall with ./install.sh");
            if (string.IsNullOrWhiteSpace(settings.Mqtt.Host))
            {
                broker = await DemoBroker.StartAsync(cancellation).ConfigureAwait(false);
                settings.Mqtt.Host = broker.Host;
                settings.Mqtt.Port = broker.Port;
                Console.WriteLine($"demo: no Mqtt:Host configured; started a local mosquitto broker on {broker.Host}:{broker.Port}");
            }
            Console.WriteLine($"demo: replaying {settings.Camera.Source} (profile {settings.Camera.Profile}) to {settings.Mqtt.Host}:{settings.Mqtt.Port}");
            if (!realtime && settings.Evidence.Enabled)
            {
                // Said up front, so that the warnings it explains do not read as a fault.
                Console.WriteLine("demo: as fast as this machine decodes, several times a camera's pace: redaction (about 2 CPU s a pass) falls behind, " +
                                  "so some passes keep no images (\"Evidence ... dropped\"; the reads are kept); --realtime paces it like a camera");
            }
            await using BackendPrinter backend = await BackendPrinter.StartAsync(settings.Mqtt.Host, settings.Mqtt.Port, Console.Out, cancellation).ConfigureAwait(false);
            int exitCode = await AgentCommands.RunHostAsync(AgentMode.Demo, configuration, settings,
                new CameraRunSettings { Finite = true, Realtime = realtime }, cancellation).ConfigureAwait(false);
            await Task.Delay(300, cancellation).ConfigureAwait(false);  // the last status message is on its way
            int vehicles = CountTruthRows(settings.Camera.Source + ".truth.tsv");
            Console.WriteLine($"demo: the backend received {backend.DistinctReads} reads" +
                              (vehicles > 0 ? $" for the {vehicles} vehicles in the sample's ground truth" : "") +
                              $" ({backend.Messages} messages in all); no registration left the pipeline, only keyed hashes");
            return exitCode;
        }
        catch (ConfigurationProblemException e)
        {
            await Console.Error.WriteLineAsync("edgeagent: " + e.Message).ConfigureAwait(false);
            return ExitCodes.BadConfiguration;
        }
        catch (InvalidOperationException e) when (broker is null)
        {
            await Console.Error.WriteLineAsync("edgeagent demo: " + e.Message).ConfigureAwait(false);
            return ExitCodes.Failed;
        }
        finally
        {
            if (broker is not null) await broker.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static int CountTruthRows(string path) =>
        File.Exists(path) ? File.ReadLines(path).Skip(1).Count(line => line.Trim().Length > 0) : 0;
}
