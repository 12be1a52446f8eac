using System.Diagnostics;

namespace EdgeAgent.IntegrationTests;

/// <summary>Short clips cut from the bundled sample with the real ffmpeg, for tests that play at real speed.</summary>
public static class Clips
{
    /// <summary>The first <paramref name="seconds"/> of <paramref name="video"/>, stream-copied (no re-encode).</summary>
    public static async Task<string> FirstSecondsAsync(string video, int seconds, string output)
    {
        var start = new ProcessStartInfo("ffmpeg", ["-v", "error", "-y", "-i", video, "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c", "copy", "-an", output])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process ffmpeg = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start (./install.sh --deps installs it)");
        string errors = await ffmpeg.StandardError.ReadToEndAsync();
        await ffmpeg.WaitForExitAsync();
        if (ffmpeg.ExitCode != 0 || !File.Exists(output)) throw new InvalidOperationException($"ffmpeg could not cut {video}: {errors}");
        return output;
    }
}
