using System.Diagnostics;
using System.Text;

namespace EdgeAgent.TestSupport;

/// <summary>What one run of the edgeagent binary did.</summary>
public sealed record AgentRun(int ExitCode, string Output, string Errors, TimeSpan Elapsed)
{
    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:0.0} s\n--- stdout ---\n{Output}\n--- stderr ---\n{Errors}";
}

/// <summary>
/// Runs the real `edgeagent` (the build of src/EdgeAgent in the same configuration as the tests) as its
/// own process, as a field engineer or test rig would.
/// </summary>
public static class AgentProcess
{
    /// <summary>The agent's entry assembly, built beside the tests (Debug or Release, like them).</summary>
    public static string AgentDll => RepoPaths.BuiltAssembly("src/EdgeAgent", "edgeagent.dll");

    public static async Task<AgentRun> RunAsync(IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        start.ArgumentList.Add(AgentDll);
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        if (environment is not null)
            foreach (var (key, value) in environment) start.Environment[key] = value;
        var output = new StringBuilder();
        var errors = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"edgeagent {string.Join(' ', arguments)} did not finish within {timeout}:\n{output}\n{errors}");
        }
        process.WaitForExit();  // flushes the redirected streams
        lock (output) lock (errors) return new AgentRun(process.ExitCode, output.ToString(), errors.ToString(), clock.Elapsed);
    }
}
