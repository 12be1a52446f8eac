using System.Diagnostics;
using System.Runtime.InteropServices;

namespace EdgeAgent.TestSupport;

/// <summary>
/// Two linked pseudo-terminals made by a real socat process: what is written to one end is read from the
/// other, through the kernel's tty layer, as with a serial cable. The agent opens <see cref="AgentEnd"/>;
/// the test plays the device on <see cref="DeviceEnd"/>. Killed by PID on dispose; fails, never skips,
/// when socat is missing.
/// </summary>
public sealed partial class SocatPtyPair : IDisposable
{
    public const string DefaultExecutable = "/usr/bin/socat";

    private readonly TempDirectory _dir = new("edgeagent-pty");
    private Process? _process;

    private SocatPtyPair()
    {
        AgentEnd = _dir.File("agent");
        DeviceEnd = _dir.File("device");
    }

    /// <summary>A stable path (a symlink to /dev/pts/N) that the agent opens as its serial device.</summary>
    public string AgentEnd { get; }

    /// <summary>The other end: the test writes device output here.</summary>
    public string DeviceEnd { get; }

    public int Pid => _process?.Id ?? 0;

    public static SocatPtyPair Start()
    {
        var pair = new SocatPtyPair();
        try
        {
            pair.Launch();
            return pair;
        }
        catch
        {
            pair.Dispose();
            throw;
        }
    }

    /// <summary>Starts socat again with the same link names (after <see cref="Kill"/>): the device comes back.</summary>
    public void Restart()
    {
        Kill();
        Launch();
    }

    /// <summary>The device vanishes: SIGKILL by PID; both ptys hang up.</summary>
    public void Kill()
    {
        if (_process is not { HasExited: false } p) return;
        _ = SendSignal(p.Id, 9);
        p.WaitForExit(10_000);
        // A killed socat leaves its symlinks behind, pointing at ptys that no longer exist.
        File.Delete(AgentEnd);
        File.Delete(DeviceEnd);
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        _dir.Dispose();
    }

    private void Launch()
    {
        string socat = Environment.GetEnvironmentVariable("EDGEAGENT_SOCAT") is { Length: > 0 } s ? s : DefaultExecutable;
        if (!File.Exists(socat))
            throw new InvalidOperationException($"socat was not found at {socat}. Run ./install.sh --deps (Debian package socat).");
        var start = new ProcessStartInfo(socat, ["-d", "-d",
            $"pty,raw,echo=0,link={AgentEnd}", $"pty,raw,echo=0,link={DeviceEnd}"])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        _process?.Dispose();
        _process = Process.Start(start) ?? throw new InvalidOperationException("socat did not start");
        _process.ErrorDataReceived += (_, _) => { };
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        var deadline = Stopwatch.StartNew();
        while (!(File.Exists(AgentEnd) && File.Exists(DeviceEnd)))
        {
            if (_process.HasExited) throw new InvalidOperationException($"socat exited with {_process.ExitCode} before making the ptys");
            if (deadline.Elapsed > TimeSpan.FromSeconds(10)) throw new InvalidOperationException("socat did not make the ptys within 10 s");
            Thread.Sleep(20);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
