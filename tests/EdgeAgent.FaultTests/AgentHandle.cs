using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

using EdgeAgent.TestSupport;

namespace EdgeAgent.FaultTests;

/// <summary>
/// The real edgeagent as a running process the test can SIGKILL or SIGTERM by its PID (AgentProcess runs it
/// to its end only). Collects both streams.
/// </summary>
public sealed partial class AgentHandle : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private AgentHandle(Process process)
    {
        _process = process;
    }

    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public TimeSpan Elapsed => _clock.Elapsed;

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public static AgentHandle Start(IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(AgentProcess.AgentDll);
        foreach (string a in arguments) start.ArgumentList.Add(a);
        if (environment is not null)
            foreach (var (k, v) in environment) start.Environment[k] = v;
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var handle = new AgentHandle(process);
        process.OutputDataReceived += (_, e) => handle.Append(e.Data);
        process.ErrorDataReceived += (_, e) => handle.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return handle;
    }

    /// <summary>Waits until the agent's output contains <paramref name="text"/> (or it exits, or time runs out).</summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Output.Contains(text, StringComparison.Ordinal)) return true;
            if (_process.HasExited) return Output.Contains(text, StringComparison.Ordinal);
            await Task.Delay(100).ConfigureAwait(false);
        }
        return false;
    }

    /// <summary>SIGKILL: no cleanup, no goodbye, as a crash or a power cut leaves it.</summary>
    public void Kill9()
    {
        if (_process.HasExited) return;
        _ = SendSignal(_process.Id, 9);
        _process.WaitForExit(15_000);
    }

    /// <summary>SIGTERM (systemd's stop) and the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited) _ = SendSignal(_process.Id, 15);
        return await WaitForExitAsync(timeout).ConfigureAwait(false);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill9();
            throw new TimeoutException($"edgeagent (pid {Pid}) did not exit within {timeout}:\n{Output}");
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Resident memory, threads and open file descriptors, from /proc (the soak's figures).</summary>
    public (long RssKb, int Threads, int Handles) Resources()
    {
        long rss = 0;
        int threads = 0;
        foreach (string line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
            if (line.StartsWith("Threads:", StringComparison.Ordinal)) threads = int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        return (rss, threads, Directory.GetFiles($"/proc/{Pid}/fd").Length);
    }

    public void Dispose()
    {
        Kill9();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
