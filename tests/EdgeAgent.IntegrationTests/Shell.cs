using System.Diagnostics;
using System.Text;

using EdgeAgent.TestSupport;

namespace EdgeAgent.IntegrationTests;

/// <summary>Runs the repository's shell scripts (install.sh, deploy/install-service.sh) as a field engineer would.</summary>
public static class Shell
{
    public static async Task<AgentRun> RunAsync(string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        start.ArgumentList.Add(script);
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var output = new StringBuilder();
        var errors = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish within {timeout}:\n{output}\n{errors}");
        }
        process.WaitForExit();
        lock (output) lock (errors) return new AgentRun(process.ExitCode, output.ToString(), errors.ToString(), clock.Elapsed);
    }

    /// <summary>A bin folder holding an `edgeagent` command that runs the agent built beside the tests (as install.sh's wrapper does for the published one).</summary>
    public static string AgentCommandFolder(TempDirectory dir)
    {
        string bin = Path.Combine(dir.Path, "bin");
        Directory.CreateDirectory(bin);
        string wrapper = Path.Combine(bin, "edgeagent");
        File.WriteAllText(wrapper, $"#!/bin/sh\nexec dotnet \"{AgentProcess.AgentDll}\" \"$@\"\n");
        File.SetUnixFileMode(wrapper, (UnixFileMode)0b111_101_101);
        return bin;
    }

    /// <summary>The agent's build folder: what install.sh publishes to PREFIX/app (profiles included).</summary>
    public static string AgentAppFolder => Path.GetDirectoryName(AgentProcess.AgentDll)!;

    public static string Octal(string path) => Convert.ToString((int)File.GetUnixFileMode(path), 8).PadLeft(4, '0');
}
