using EdgeAgent.TestSupport;

namespace EdgeAgent.IntegrationTests;

/// <summary>Runs tools/EdgeAgent.SampleGen (built beside the tests) to make a synthetic video with its truth.</summary>
public static class SampleGenerator
{
    public static string Dll => RepoPaths.BuiltAssembly("tools/EdgeAgent.SampleGen", "EdgeAgent.SampleGen.dll");

    public static async Task RunAsync(IEnumerable<string> arguments)
    {
        (int exit, string text) = await ToolProcess.RunAsync(Dll, arguments, TimeSpan.FromMinutes(5));
        if (exit != 0) throw new InvalidOperationException($"SampleGen {string.Join(' ', arguments)} exited {exit}: {text}");
    }
}
