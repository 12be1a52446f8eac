using EdgeAgent.Core.Configuration;
using EdgeAgent.Core.Contract;
using EdgeAgent.Core.Profiles;

namespace EdgeAgent.Settings;

/// <summary>What the agent is started to do; it decides which settings are required.</summary>
public enum AgentMode
{
    /// <summary>The service: a live camera, a real key, a broker.</summary>
    Run,
    /// <summary>A test rig playing a recorded video through the whole pipeline.</summary>
    Replay,
    /// <summary>Replay of the bundled sample against a broker, printing what the backend receives.</summary>
    Demo,
}

/// <summary>
/// Checks settings before anything starts and reports every problem at once, each with its fix. Nothing
/// is half-applied: the agent starts with valid settings or not at all.
/// </summary>
public static class SettingsValidator
{
    public static HardwareProfile Validate(AgentSettings s, AgentMode mode, string profilesFolder)
    {
        var problems = new List<string>();
        if (mode == AgentMode.Run && string.IsNullOrWhiteSpace(s.Camera.Source) && s.Camera.Sources.Count == 0)
            problems.Add("Camera:Source is empty: set the camera (rtsp://..., /dev/video0 or a video file), or several in Camera:Sources");
        CheckSources(s, problems);

        HardwareProfile? profile = null;
        try
        {
            profile = HardwareProfileLoader.Load(s.Camera.Profile, profilesFolder);
        }
        catch (ConfigurationProblemException e)
        {
            problems.AddRange(e.Problems.Select(p => $"{e.Subject}: {p}"));
        }

        if (mode == AgentMode.Run && string.IsNullOrWhiteSpace(s.Mqtt.Host))
            problems.Add("Mqtt:Host is empty: set the broker's host name or address");
        if (s.Mqtt.Port is < 1 or > 65535)
            problems.Add($"Mqtt:Port is {s.Mqtt.Port}: expected 1..65535 (1883 plain, 8883 TLS)");
        if (Topics.CheckLevel(s.Mqtt.Site) is { } siteProblem)
            problems.Add($"Mqtt:Site '{s.Mqtt.Site}' {siteProblem}: it becomes a topic level of anpr/v1/{{site}}/{{camera}}");
        if (Topics.CheckLevel(s.Mqtt.CameraId) is { } cameraProblem)
            problems.Add($"Mqtt:CameraId '{s.Mqtt.CameraId}' {cameraProblem}: it becomes a topic level of anpr/v1/{{site}}/{{camera}}");
        if (s.Mqtt.KeepAliveSeconds is < 5 or > 3600)
            problems.Add($"Mqtt:KeepAliveSeconds is {s.Mqtt.KeepAliveSeconds}: expected 5..3600");
        if (s.Mqtt.MaxInFlight is < 1 or > 1000)
            problems.Add($"Mqtt:MaxInFlight is {s.Mqtt.MaxInFlight}: expected 1..1000");

        if (mode == AgentMode.Run && string.IsNullOrWhiteSpace(s.Storage.Path))
            problems.Add("Storage:Path is empty: set the outbox file, e.g. /var/lib/edgeagent/outbox.db");
        if (mode == AgentMode.Run && string.IsNullOrWhiteSpace(s.Privacy.KeyFile))
            problems.Add("Privacy:KeyFile is empty: the service needs a real unit secret; create one with `edgeagent keys init --key /etc/edgeagent/unit.key`");
        if (!TryFindZone(s.Privacy.TimeZone))
            problems.Add($"Privacy:TimeZone '{s.Privacy.TimeZone}' is not a known time zone: use an IANA id such as Europe/London");

        if (!string.IsNullOrWhiteSpace(s.Privacy.AuthorityKeyFile))
        {
            try
            {
                using var authority = EdgeAgent.Privacy.Policy.AuthorityKey.Load(s.Privacy.AuthorityKeyFile);
            }
            catch (EdgeAgent.Privacy.Policy.PolicyException e)
            {
                problems.Add($"Privacy:AuthorityKeyFile: {e.Message}");
            }
        }
        if (!string.IsNullOrWhiteSpace(s.Privacy.PolicyFile))
        {
            if (!File.Exists(s.Privacy.PolicyFile))
                problems.Add($"Privacy:PolicyFile {Path.GetFullPath(s.Privacy.PolicyFile)} does not exist: give a signed policy (`edgeagent policy sign`) or leave it empty");
            if (string.IsNullOrWhiteSpace(s.Privacy.AuthorityKeyFile))
                problems.Add("Privacy:PolicyFile is set but Privacy:AuthorityKeyFile is not: a policy is accepted only when the authority key it is signed with is installed");
        }
        if (s.Privacy.AuditHeadSeconds is < 5 or > 86400)
            problems.Add($"Privacy:AuditHeadSeconds is {s.Privacy.AuditHeadSeconds}: expected 5..86400");

        if (!File.Exists(Path.Combine(s.Ocr.TessDataPath, "eng.traineddata")))
            problems.Add($"Ocr:TessDataPath {s.Ocr.TessDataPath} has no eng.traineddata: install tesseract-ocr-eng (./install.sh --deps) or fix the path");
        if (s.Ocr.Grammar is not ("auto" or "gb" or "eu" or "us"))
            problems.Add($"Ocr:Grammar is '{s.Ocr.Grammar}': expected auto, gb, eu or us");
        if (s.Ocr.Engine is not ("classifier" or "tesseract"))
            problems.Add($"Ocr:Engine is '{s.Ocr.Engine}': expected classifier or tesseract");
        else if (s.Ocr.Engine == "classifier")
        {
            string model = Hosting.AgentPaths.CharacterModelFor(s.Ocr.Model);
            string network = Vision.PlateCharReader.NetworkPathOf(model);
            if (!File.Exists(model))
                problems.Add($"Ocr:Model {model} does not exist: point it at a model made by tools/EdgeAgent.CharTrainer, or set Ocr:Engine=tesseract");
            else if (!File.Exists(network))
                problems.Add($"Ocr:Model {model} has no network {network} beside it: copy the model's .onnx with it, or train both with tools/EdgeAgent.CharTrainer");
        }

        if (s.Tracking.EndAfterMissedFrames is < 1 or > 250)
            problems.Add($"Tracking:EndAfterMissedFrames is {s.Tracking.EndAfterMissedFrames}: expected 1..250");
        if (s.Tracking.MinObservations is < 1 or > 100)
            problems.Add($"Tracking:MinObservations is {s.Tracking.MinObservations}: expected 1..100");
        if (s.Tracking.ReadSettledEvery is < 1 or > 25)
            problems.Add($"Tracking:ReadSettledEvery is {s.Tracking.ReadSettledEvery}: expected 1..25 (1 reads a plate in every frame)");

        if (s.Tracking.MinConfidence is < 0 or > 1 || double.IsNaN(s.Tracking.MinConfidence))
            problems.Add($"Tracking:MinConfidence is {s.Tracking.MinConfidence}: expected 0..1");

        if (s.Finder.FullSearchEveryFrames is < 1 or > 1000)
            problems.Add($"Finder:FullSearchEveryFrames is {s.Finder.FullSearchEveryFrames}: expected 1..1000 (1 searches every frame whole)");

        ReliabilitySettingsValidator.Check(s, problems);
        if (s.Evidence.Enabled)
        {
            foreach (string cascade in new[] { "haarcascade_frontalface_default.xml", "haarcascade_profileface.xml", "haarcascade_fullbody.xml" })
                if (!File.Exists(Path.Combine(s.Evidence.CascadeFolder, cascade)))
                    problems.Add($"Evidence:CascadeFolder {s.Evidence.CascadeFolder} has no {cascade}: install opencv-data (./install.sh --deps), fix the path, or set Evidence:Enabled=false");
            if (s.Evidence.OverviewWidth is < 160 or > 3840)
                problems.Add($"Evidence:OverviewWidth is {s.Evidence.OverviewWidth}: expected 160..3840 pixels");
            if (s.Evidence.QueueLength is < 1 or > 1000)
                problems.Add($"Evidence:QueueLength is {s.Evidence.QueueLength}: expected 1..1000");
            if (s.Evidence.MaxBytes < 1024 * 1024)
                problems.Add($"Evidence:MaxBytes is {s.Evidence.MaxBytes}: expected at least 1048576 (1 MiB; about 40 passes' images)");
            else if (s.Storage.MaxBytes > 0 && s.Evidence.MaxBytes >= s.Storage.MaxBytes / 2)
                problems.Add($"Evidence:MaxBytes ({s.Evidence.MaxBytes}) must be under half of Storage:MaxBytes ({s.Storage.MaxBytes}): the images must leave the reads room");
        }
        if (!(s.Retention.DeliveredReadsHours >= 0) || s.Retention.DeliveredReadsHours > 24 * 366)
            problems.Add($"Retention:DeliveredReadsHours is {s.Retention.DeliveredReadsHours}: expected 0..8784 hours (0 deletes a read once delivered)");
        if (!(s.Retention.EvidenceHours >= 0) || s.Retention.EvidenceHours > 24 * 366)
            problems.Add($"Retention:EvidenceHours is {s.Retention.EvidenceHours}: expected 0..8784 hours");
        if (s.Retention.PurgeIntervalSeconds is < 1 or > 86400)
            problems.Add($"Retention:PurgeIntervalSeconds is {s.Retention.PurgeIntervalSeconds}: expected 1..86400");

        if (problems.Count > 0) throw new ConfigurationProblemException("settings", problems);
        return profile!;
    }

    // Camera:Sources: each camera named (a valid, distinct topic level) and given a source; not mixed with Camera:Source.
    private static void CheckSources(AgentSettings s, List<string> problems)
    {
        if (s.Camera.Sources.Count == 0) return;
        if (!string.IsNullOrWhiteSpace(s.Camera.Source))
            problems.Add("Camera:Source and Camera:Sources are both set: give one camera in Camera:Source, or every camera (with its Id) in Camera:Sources");
        if (s.Camera.Sources.Count > MaxCameras)
            problems.Add($"Camera:Sources lists {s.Camera.Sources.Count} cameras: at most {MaxCameras} run on one box");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < s.Camera.Sources.Count; i++)
        {
            CameraSourceSettings camera = s.Camera.Sources[i];
            if (Topics.CheckLevel(camera.Id) is { } idProblem)
                problems.Add($"Camera:Sources:{i}:Id '{camera.Id}' {idProblem}: it becomes a topic level of anpr/v1/{{site}}/{{camera}}");
            else if (!seen.Add(camera.Id))
                problems.Add($"Camera:Sources:{i}:Id '{camera.Id}' is used by another camera: give each camera its own Id");
            if (string.IsNullOrWhiteSpace(camera.Source))
                problems.Add($"Camera:Sources:{i}:Source is empty: set the camera (rtsp://..., /dev/video0 or a video file)");
        }
    }

    /// <summary>Cameras one agent runs at most (each has a capture and a processing thread).</summary>
    public const int MaxCameras = 16;

    private static bool TryFindZone(string id)
    {
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return false;
        }
    }
}
