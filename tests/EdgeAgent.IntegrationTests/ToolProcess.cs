using System.Diagnostics;

namespace EdgeAgent.IntegrationTests;

/// <summary>Runs one of the repository's tools (a built .dll) with dotnet and collects what it wrote.</summary>
public static class ToolProcess
{
    /// <summary>The exit code and standard output then standard error; the run is abandoned after <paramref name="timeout"/>.</summary>
    public static async Task<(int ExitCode, string Text)> RunAsync(string dll, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (string a in arguments) start.ArgumentList.Add(a);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, await output + await errors);
    }
}
