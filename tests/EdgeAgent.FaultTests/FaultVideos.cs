using System.Diagnostics;

using EdgeAgent.TestSupport;

namespace EdgeAgent.FaultTests;

/// <summary>
/// The videos the fault tests replay, made by tools/EdgeAgent.SampleGen once per machine and cached under
/// /tmp (keyed by the generator's options): the long replay of clean passes at 720p and 8 frames/s (200 passes: 5353
/// frames, about 40 s to make and 90 s to replay here; 40 in CI), and a 4-pass clip for the tests that need a few reads only.
/// </summary>
public static class FaultVideos
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly string Cache = Path.Combine(Path.GetTempPath(), "edgeagent-fault-videos-v1");

    /// <summary>The hardware profile for both: the 1080p ANPR geometry scaled to 720p, as a file.</summary>
    public static string Profile
    {
        get
        {
            Directory.CreateDirectory(Cache);
            string path = Path.Combine(Cache, "test-720p.json");
            if (!File.Exists(path)) File.WriteAllText(path, """
                {
                  "name": "test-720p",
                  "description": "the fault tests' 720p synthetic video: the 1080p ANPR geometry scaled by 2/3",
                  "width": 1280, "height": 720, "fps": 8, "infrared": false, "transport": "file",
                  "plateHeightPx": { "min": 21, "max": 80 },
                  "roi": { "x": 0, "y": 80, "width": 1280, "height": 640 },
                  "lanes": [
                    { "name": "1", "direction": "northbound", "xMin": 0, "xMax": 640 },
                    { "name": "2", "direction": "southbound", "xMin": 640, "xMax": 1280 }
                  ]
                }
                """);
            return path;
        }
    }

    /// <summary>The long replay: <see cref="FaultScale.Passes"/> passes (200 at full size, 40 in CI).</summary>
    public static Task<string> ReplayAsync() => GetAsync($"p{FaultScale.Passes}-s11.mp4", passes: FaultScale.Passes, seed: 11);

    public static Task<string> FourPassesAsync() => GetAsync("p4-s5.mp4", passes: 4, seed: 5);

    private static async Task<string> GetAsync(string name, int passes, int seed)
    {
        string path = Path.Combine(Cache, name);
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (File.Exists(path) && File.Exists(path + ".truth.tsv")) return path;
            Directory.CreateDirectory(Cache);
            string partial = Path.Combine(Cache, "partial-" + name);
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (string a in new[] { GeneratorDll, "--passes", passes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                         "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--fps", "8", "--size", "1280x720",
                         "--preset", "ultrafast", "--out", partial })
                start.ArgumentList.Add(a);
            using Process p = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
            Task<string> output = p.StandardOutput.ReadToEndAsync();
            Task<string> errors = p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync().ConfigureAwait(false);
            if (p.ExitCode != 0) throw new InvalidOperationException($"SampleGen failed ({p.ExitCode}): {await output}\n{await errors}");
            foreach (string suffix in new[] { ".truth.tsv", ".boxes.tsv", "" })
                File.Move(partial + suffix, path + suffix, overwrite: true);
            return path;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static string GeneratorDll => RepoPaths.BuiltAssembly("tools/EdgeAgent.SampleGen", "EdgeAgent.SampleGen.dll");
}
