using System.Diagnostics;

using EdgeAgent.TestSupport;

namespace EdgeAgent.IntegrationTests;

/// <summary>Runs tools/EdgeAgent.SampleGen (built beside the tests) to make a synthetic video with its truth.</summary>
public static class SampleGenerator
{
    public static string Dll => RepoPaths.BuiltAssembly("tools/EdgeAgent.SampleGen", "EdgeAgent.SampleGen.dll");

    public static async Task RunAsync(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Dll);
        foreach (string a in arguments) start.ArgumentList.Add(a);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"SampleGen {string.Join(' ', arguments)} exited {process.ExitCode}: {await output}{await errors}");
    }
}
