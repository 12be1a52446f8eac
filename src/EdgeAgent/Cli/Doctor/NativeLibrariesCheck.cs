using System.Runtime.InteropServices;

using Microsoft.Data.Sqlite;

using EdgeAgent.Cli.Output;
using EdgeAgent.Ocr.Tesseract;
using EdgeAgent.Transport.Mosquitto;
using EdgeAgent.Vision.Native;

namespace EdgeAgent.Cli.Doctor;

/// <summary>Every native library the agent binds loads, through the same loaders the agent uses.</summary>
public sealed class NativeLibrariesCheck : IDoctorCheck
{
    public string Name => "native libraries";

    public Task<CheckResult> RunAsync(DoctorContext context, CommandProgress progress, CancellationToken cancellation)
    {
        var loaded = new List<string>();
        var failed = new List<string>();
        Try("OpenCV bridge", () =>
        {
            VisionNative.EnsureLoaded();
            return "libedgeagent_vision";
        });
        Try("Tesseract", () => "Tesseract " + TesseractLibrary.Version());
        Try("libmosquitto", () => "libmosquitto " + MosquittoLibrary.Version());
        Try("SQLite", () =>
        {
            using var connection = new SqliteConnection("Data Source=:memory:");
            connection.Open();
            return "SQLite " + connection.ServerVersion;
        });
        // Under systemd the unit is Type=notify: without libsystemd the agent never says READY and is killed.
        if (Directory.Exists("/run/systemd/system"))
        {
            Try("libsystemd", () => NativeLibrary.TryLoad("libsystemd.so.0", out nint handle) && handle != 0
                ? "libsystemd"
                : throw new DllNotFoundException("libsystemd.so.0 is missing (Debian package libsystemd0): the service could never report READY"));
        }
        return Task.FromResult(failed.Count == 0
            ? CheckResult.Pass(Name, string.Join(", ", loaded))
            : CheckResult.Fail(Name, string.Join("; ", failed),
                "install the Debian packages and rebuild the bridge: sudo ./install.sh (OpenCV, libtesseract5, libmosquitto1)"));

        void Try(string what, Func<string> load)
        {
            try
            {
                loaded.Add(load());
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException
                                          or VisionException or TesseractException or InvalidOperationException or TypeInitializationException)
            {
                failed.Add($"{what} did not load: {e.Message}");
            }
        }
    }
}
