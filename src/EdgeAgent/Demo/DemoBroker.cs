using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EdgeAgent.Demo;

/// <summary>
/// A mosquitto broker for the demo, on a free loopback port with its own configuration in a temporary
/// folder; stopped (by PID) when disposed.
/// </summary>
public sealed class DemoBroker : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private DemoBroker(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public string Host => "127.0.0.1";
    public int Port { get; }

    public static async Task<DemoBroker> StartAsync(CancellationToken cancellation)
    {
        string executable = File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto";
        int port = FreePort();
        string folder = Directory.CreateTempSubdirectory("edgeagent-demo-broker-").FullName;
        string config = Path.Combine(folder, "mosquitto.conf");
        await File.WriteAllTextAsync(config,
            $"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest file {Path.Combine(folder, "mosquitto.log")}\n",
            cancellation).ConfigureAwait(false);
        Process process;
        try
        {
            process = Process.Start(new ProcessStartInfo(executable, ["-c", config]) { RedirectStandardError = true, RedirectStandardOutput = true })
                      ?? throw new InvalidOperationException("mosquitto did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"the mosquitto broker is not installed ({e.Message}): run ./install.sh, or give a broker with --Mqtt:Host", e);
        }
        var broker = new DemoBroker(process, folder, port);
        // Ready when it accepts a connection; give up (and say why) after a few seconds.
        for (int i = 0; i < 100; i++)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"mosquitto exited at start ({process.ExitCode}): {await process.StandardError.ReadToEndAsync(cancellation).ConfigureAwait(false)}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port, cancellation).ConfigureAwait(false);
                return broker;
            }
            catch (SocketException)
            {
                await Task.Delay(50, cancellation).ConfigureAwait(false);
            }
        }
        await broker.DisposeAsync().ConfigureAwait(false);
        throw new InvalidOperationException($"mosquitto did not accept connections on 127.0.0.1:{port} within 5 s");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
