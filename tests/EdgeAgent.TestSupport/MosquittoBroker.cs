using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

using EdgeAgent.Transport.Mosquitto;

namespace EdgeAgent.TestSupport;

/// <summary>TLS for the broker's second listener: PEM files.</summary>
public sealed record BrokerTls(string CaFile, string CertFile, string KeyFile, bool RequireClientCertificate = false);

public sealed record MosquittoBrokerOptions
{
    public bool AllowAnonymous { get; init; } = true;

    /// <summary>Keep sessions, subscriptions and retained messages across <see cref="MosquittoBroker.StopAsync"/> (SIGTERM saves them).</summary>
    public bool Persistence { get; init; }

    /// <summary>Adds a TLS listener on <see cref="MosquittoBroker.TlsPort"/>.</summary>
    public BrokerTls? Tls { get; init; }
}

/// <summary>
/// A real mosquitto broker for one test: its own config in a temp folder, listening on free loopback ports
/// only (127.0.0.1). Stop, kill (by PID) and restart on the same ports stage outages. Fails, never skips,
/// when mosquitto is missing.
/// </summary>
public sealed partial class MosquittoBroker : IAsyncDisposable, IDisposable
{
    public const string DefaultExecutable = "/usr/sbin/mosquitto";

    private readonly MosquittoBrokerOptions _options;
    private readonly TempDirectory _dir = new("edgeagent-mosquitto");
    private readonly StringBuilder _output = new();
    private Process? _process;

    private MosquittoBroker(MosquittoBrokerOptions options, int port, int? tlsPort)
    {
        _options = options;
        Port = port;
        TlsPort = tlsPort;
    }

    public string Host => "127.0.0.1";
    public int Port { get; }
    public int? TlsPort { get; }
    public int Pid => _process?.Id ?? 0;
    public bool IsRunning => _process is { HasExited: false };
    public string LogFile => _dir.File("mosquitto.log");

    /// <summary>The broker's log so far (for failure messages).</summary>
    public string Log => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "";

    /// <summary>Where the executable is: $EDGEAGENT_MOSQUITTO, else /usr/sbin/mosquitto.</summary>
    public static string Executable => Environment.GetEnvironmentVariable("EDGEAGENT_MOSQUITTO") is { Length: > 0 } p ? p : DefaultExecutable;

    public static async Task<MosquittoBroker> StartAsync(MosquittoBrokerOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"The mosquitto broker was not found at {Executable}. Run ./install.sh --deps (Debian packages mosquitto, mosquitto-clients, libmosquitto1).");
        options ??= new MosquittoBrokerOptions();
        // A free port can be taken by someone else between probing and binding: try a few.
        for (int attempt = 1; ; attempt++)
        {
            var broker = new MosquittoBroker(options, FreePort(), options.Tls is null ? null : FreePort());
            try
            {
                await broker.LaunchAsync(cancellationToken).ConfigureAwait(false);
                return broker;
            }
            catch (InvalidOperationException) when (attempt < 5 && broker.Log.Contains("Address already in use", StringComparison.Ordinal))
            {
                broker.Dispose();
            }
            catch
            {
                broker.Dispose();
                throw;
            }
        }
    }

    /// <summary>Client options for this broker's plain listener.</summary>
    public MosquittoClientOptions ClientOptions(string? clientId = null) => new() { Host = Host, Port = Port, ClientId = clientId };

    /// <summary>An orderly stop (SIGTERM): the broker closes connections and, with persistence, saves its state.</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (_process is not { HasExited: false } p) return;
        _ = SendSignal(p.Id, SigTerm);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            await p.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    /// <summary>A crash (SIGKILL by PID): nothing is saved, clients see the connection drop.</summary>
    public void Kill()
    {
        if (_process is not { HasExited: false } p) return;
        _ = SendSignal(p.Id, SigKill);
        p.WaitForExit(10_000);
    }

    /// <summary>Stops (if running) and starts again on the same port(s).</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync().ConfigureAwait(false);
        await LaunchAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process?.Dispose();
        _dir.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public override string ToString() => $"mosquitto pid {Pid} on {Host}:{Port}{(TlsPort is { } t ? $" (TLS {t})" : "")}";

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        string config = _dir.File("mosquitto.conf");
        await File.WriteAllTextAsync(config, Config(), cancellationToken).ConfigureAwait(false);
        var start = new ProcessStartInfo(Executable, ["-c", config])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process?.Dispose();
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{Executable} did not start");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilListeningAsync(Port, cancellationToken).ConfigureAwait(false);
        if (TlsPort is { } tls) await WaitUntilListeningAsync(tls, cancellationToken).ConfigureAwait(false);
    }

    private string Config()
    {
        var c = new StringBuilder();
        // Running as root, mosquitto would switch to the 'mosquitto' user and could not read this folder.
        c.AppendLine($"user {Environment.UserName}");
        c.AppendLine($"log_dest file {LogFile}");
        c.AppendLine("log_type all");
        c.AppendLine($"allow_anonymous {(_options.AllowAnonymous ? "true" : "false")}");
        c.AppendLine($"persistence {(_options.Persistence ? "true" : "false")}");
        if (_options.Persistence) c.AppendLine($"persistence_location {_dir.Path}/");
        c.AppendLine($"listener {Port} {Host}");
        if (_options.Tls is { } tls && TlsPort is { } tlsPort)
        {
            c.AppendLine($"listener {tlsPort} {Host}");
            c.AppendLine($"cafile {tls.CaFile}");
            c.AppendLine($"certfile {tls.CertFile}");
            c.AppendLine($"keyfile {tls.KeyFile}");
            c.AppendLine($"require_certificate {(tls.RequireClientCertificate ? "true" : "false")}");
        }
        return c.ToString();
    }

    private async Task WaitUntilListeningAsync(int port, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            if (_process is { HasExited: true } p)
                throw new InvalidOperationException($"mosquitto exited with {p.ExitCode} before listening on {Host}:{port}.\n{Output()}\n{Log}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException($"mosquitto (pid {Pid}) is not listening on {Host}:{port} after 15 s.\n{Output()}\n{Log}", e);
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private string Output()
    {
        lock (_output) return _output.ToString();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private const int SigKill = 9;
    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
