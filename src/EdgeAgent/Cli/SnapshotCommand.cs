using System.CommandLine;
using System.Globalization;

using EdgeAgent.Cli.Doctor;
using EdgeAgent.Cli.Snapshot;
using EdgeAgent.Core.Configuration;
using EdgeAgent.Core.Ports;
using EdgeAgent.Core.Profiles;
using EdgeAgent.Hosting;
using EdgeAgent.Settings;
using EdgeAgent.Storage.Audit;
using EdgeAgent.Vision.Native;

namespace EdgeAgent.Cli;

/// <summary>edgeagent snapshot: one redacted frame with the ROI, lanes, privacy masks and plates drawn, to check the aim.</summary>
public static class SnapshotCommand
{
    public static Command Create(string[] settingArgs)
    {
        var output = new Option<FileInfo>("--out") { Description = "The image to write (.png or .jpg)", Required = true };
        var camera = new Option<string?>("--camera") { Description = "Which camera of Camera:Sources (default: the first)" };
        var source = new Option<string?>("--source") { Description = "Take the frame from this source instead of the configured one (aiming before provisioning)" };
        var seconds = new Option<double>("--seconds") { Description = "How much video to look through for plates; the frame with the most is kept", DefaultValueFactory = _ => 2 };
        var command = new Command("snapshot", "Write one redacted frame with the ROI, lanes, privacy masks and the plates found drawn on it, to check the camera's aim")
        {
            output, camera, source, seconds,
        };
        command.SetAction(parse =>
        {
            try
            {
                var (_, settings) = AgentCommands.LoadSettings(AgentMode.Run, settingArgs, parse.GetValue(AgentCommands.ConfigOption));
                HardwareProfile profile = HardwareProfileLoader.Load(settings.Camera.Profile, AgentPaths.HardwareProfiles);
                string uri = parse.GetValue(source) ?? PickSource(settings, parse.GetValue(camera));
                int frames = Math.Max(1, (int)Math.Round(profile.Fps * Math.Clamp(parse.GetValue(seconds), 0, 60)));
                string outPath = parse.GetValue(output)!.FullName;
                string audited = "not audited: no Storage:Path, so no audit log (an unprovisioned unit)";
                AimResult result = AimSnapshot.Take(settings, profile, uri, frames, outPath, redaction =>
                {
                    // An image of the road leaves the agent: accountable like evidence, in the same hash chain.
                    if (string.IsNullOrWhiteSpace(settings.Storage.Path)) return;
                    string log = settings.Privacy.ResolveAuditPath(settings.Storage.Path);
                    AuditEntry entry = new AuditLogFile(log).Append(AuditKinds.SnapshotTaken, new Dictionary<string, string>
                    {
                        ["path"] = outPath,
                        ["camera"] = CameraCheck.SafeUri(uri),
                        ["user"] = Environment.UserName,
                        ["redaction"] = redaction.Summary,
                    });
                    audited = $"audit entry #{entry.Seq} in {log}";
                });
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"wrote {result.Path}: frame {result.FrameIndex} of the {result.FramesLooked} looked at; {SnapshotRedaction.Describe(result.Redaction)}; {audited}"));
                Console.WriteLine(result.Plates.Count == 0
                    ? $"no plate found: check the ROI (yellow) covers the road and the zoom puts plates between {profile.PlateHeightPx.Min} and {profile.PlateHeightPx.Max} px high"
                    : string.Create(CultureInfo.InvariantCulture,
                        $"{result.Plates.Count} plates found (green), {result.Plates.Count(p => p.MatchesGrammar)} read as plates; heights " +
                        $"{string.Join(", ", result.Plates.Select(p => p.Box.Height))} px (profile {profile.Name}: {profile.PlateHeightPx.Min}..{profile.PlateHeightPx.Max})"));
                return ExitCodes.Ok;
            }
            catch (ConfigurationProblemException e)
            {
                Console.Error.WriteLine("edgeagent: " + e.Message);
                return ExitCodes.BadConfiguration;
            }
            catch (FrameSourceException e)
            {
                Console.Error.WriteLine("edgeagent: snapshot: " + e.Message);
                return ExitCodes.SourceFailed;
            }
            catch (VisionException e)
            {
                Console.Error.WriteLine($"edgeagent: snapshot: {e.Message}; no image was written");
                return ExitCodes.Failed;
            }
            catch (IOException e)
            {
                Console.Error.WriteLine($"edgeagent: snapshot: {e.Message}; no image was written (it is written only once audited)");
                return ExitCodes.Failed;
            }
        });
        return command;
    }

    private static string PickSource(AgentSettings settings, string? cameraId)
    {
        var cameras = settings.Camera.EffectiveSources(settings.Mqtt.CameraId);
        var chosen = cameraId is null ? cameras[0] : cameras.FirstOrDefault(c => c.Id == cameraId)
            ?? throw new ConfigurationProblemException("--camera", $"no camera '{cameraId}' in the settings (cameras: {string.Join(", ", cameras.Select(c => c.Id))})");
        if (string.IsNullOrWhiteSpace(chosen.Source))
            throw new ConfigurationProblemException("Camera:Source", "is empty: provision the unit (--source), or give --source here");
        return chosen.Source;
    }
}
