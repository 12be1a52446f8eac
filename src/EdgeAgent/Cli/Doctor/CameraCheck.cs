using System.Diagnostics;
using System.Globalization;

using EdgeAgent.Cli.Output;
using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Ports;
using EdgeAgent.Core.Profiles;
using EdgeAgent.Vision;
using EdgeAgent.Vision.Native;

namespace EdgeAgent.Cli.Doctor;

/// <summary>
/// The camera opens, delivers the profile's picture size, and delivers frames at the profile's rate: a
/// live source is timed by the clock (a camera set to 12 fps, or a network that cannot carry 25, shows
/// here); a recorded file by its own timestamps.
/// </summary>
public sealed class CameraCheck : IDoctorCheck
{
    /// <summary>How far the measured rate may be from the profile's: 10%.</summary>
    private const double RateTolerance = 0.10;

    public string Name => "camera";

    public async Task<CheckResult> RunAsync(DoctorContext context, CommandProgress progress, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(progress);
        var cameras = context.Settings.Camera.EffectiveSources(context.Settings.Mqtt.CameraId);
        if (cameras.All(c => string.IsNullOrWhiteSpace(c.Source)))
            return CheckResult.Fail(Name, "Camera:Source is not set", "edgeagent provision --source rtsp://... (or /dev/video0, v4l2:0)");
        if (context.Profile is not { } profile)
            return CheckResult.Fail(Name, "no valid hardware profile to compare with (see the settings line)", "fix Camera:Profile");
        var results = new List<CheckResult>();
        foreach (var camera in cameras)
        {
            string safeUri = SafeUri(camera.Source);
            int target = Math.Max(10, (int)Math.Round(profile.Fps * context.SampleTime.TotalSeconds));
            ProgressItem bar = progress.Add($"camera {(cameras.Count > 1 ? camera.Id + " " : "")}{safeUri}", target, terminalOnly: true);
            // Opening an RTSP stream and reading from it block in native code: off the caller's thread.
            CheckResult one = await Task.Run(() => Measure(camera.Source, safeUri, profile, target, bar, context.Timeout), cancellation).ConfigureAwait(false);
            bar.Complete(one.Passed ? "ok" : "failed");
            results.Add(cameras.Count > 1 ? one with { Detail = $"{camera.Id}: {one.Detail}" } : one);
        }
        if (results.Count == 1) return results[0];
        // Several cameras on one box: one line, every camera in it, the fixes of those that failed.
        return new CheckResult(Name, results.All(r => r.Passed), string.Join("; ", results.Select(r => r.Detail)),
            results.Any(r => !r.Passed) ? string.Join("; ", results.Where(r => !r.Passed).Select(r => r.Fix).Distinct()) : null);
    }

    private CheckResult Measure(string uri, string safeUri, HardwareProfile profile, int target, ProgressItem bar, TimeSpan timeout)
    {
        VideoFrameSource source;
        try
        {
            source = VideoFrameSource.Open(uri);
        }
        catch (Exception e) when (e is FrameSourceException or VisionException)
        {
            return CheckResult.Fail(Name, $"{safeUri} does not open: {e.Message}", OpenFix(profile, uri));
        }
        using (source)
        {
            FrameSourceInfo info = source.Info;
            if (info.Width != profile.Width || info.Height != profile.Height)
                return CheckResult.Fail(Name, $"{safeUri} delivers {info.Width}x{info.Height}, profile {profile.Name} expects {profile.Width}x{profile.Height}",
                    "set the camera's stream to the profile's size, or provision the profile that matches the camera");
            var frame = new Frame(info.Width, info.Height);
            var clock = Stopwatch.StartNew();
            int frames = 0;
            double firstPts = 0, lastPts = 0;
            TimeSpan firstAt = TimeSpan.Zero;
            try
            {
                while (frames < target && clock.Elapsed < timeout + TimeSpan.FromSeconds(target / profile.Fps))
                {
                    if (source.Read(frame) == FrameReadResult.EndOfStream) break;
                    if (frames == 0)
                    {
                        firstPts = frame.StreamTimeMs;
                        firstAt = clock.Elapsed;
                    }
                    lastPts = frame.StreamTimeMs;
                    frames++;
                    bar.Set(frames);
                }
            }
            catch (FrameSourceException e)
            {
                return CheckResult.Fail(Name, $"{safeUri} failed after {frames} frames: {e.Message}", OpenFix(profile, uri));
            }
            if (frames < 2)
                return CheckResult.Fail(Name, $"{safeUri} opened but delivered {frames} frames in {clock.Elapsed.TotalSeconds:0.0} s", OpenFix(profile, uri));

            // Live: frames per second of the clock after the first frame (opening and buffering excluded).
            // Recorded: the file's own timestamps, since a file is read as fast as it decodes.
            double fps = info.IsLive
                ? (frames - 1) / Math.Max(0.001, (clock.Elapsed - firstAt).TotalSeconds)
                : (frames - 1) * 1000.0 / Math.Max(0.001, lastPts - firstPts);
            string how = info.IsLive ? "measured" : "by its timestamps";
            string detail = string.Create(CultureInfo.InvariantCulture,
                $"{safeUri}: {info.Width}x{info.Height} at {fps:0.0} fps {how} over {frames} frames (profile {profile.Name}: {profile.Fps:0.#} fps)");
            if (Math.Abs(fps - profile.Fps) > profile.Fps * RateTolerance)
                return CheckResult.Fail(Name, detail, info.IsLive
                    ? "set the camera's frame rate to the profile's, check the link's bandwidth (a congested link drops frames), or pick the matching profile"
                    : "use a recording at the profile's frame rate, or the profile that matches it");
            return CheckResult.Pass(Name, detail);
        }
    }

    private static string OpenFix(HardwareProfile profile, string uri) =>
        uri.StartsWith("rtsp://", StringComparison.OrdinalIgnoreCase) || uri.StartsWith("http", StringComparison.OrdinalIgnoreCase)
            ? $"check the URL and credentials, that the camera answers (ping it) and streams H.264/H.265 ({profile.Transport})"
            : uri.StartsWith("/dev/video", StringComparison.Ordinal) || uri.StartsWith("v4l2:", StringComparison.Ordinal)
                ? "check the device exists (ls /dev/video*), is not held by another program (stop the service first: systemctl stop edgeagent), and the agent's user is in group video"
                : "check the path, and that the file is a video FFmpeg decodes";

    /// <summary>rtsp://user:pass@host/... without the password: the report may be pasted into a ticket.</summary>
    internal static string SafeUri(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out Uri? parsed) || string.IsNullOrEmpty(parsed.UserInfo)) return uri;
        string user = parsed.UserInfo.Split(':')[0];
        return uri.Replace(parsed.UserInfo + "@", user + ":***@", StringComparison.Ordinal);
    }
}
