using System.Diagnostics;
using System.Globalization;

using EdgeAgent.TestSupport;

using Xunit.Abstractions;

namespace EdgeAgent.FaultTests;

/// <summary>
/// The outbox's batched insert under SIGKILL: a writer appends batches of 64 reads in one transaction each
/// and says which batches committed; it is killed at random moments (mostly mid-transaction: inserting
/// and committing is all it does). Every batch it reported must be in the file, and no batch in part.
/// </summary>
[Trait("Category", "Integration")]
public sealed class BatchKillTests(ITestOutputHelper output) : IDisposable
{
    private const int BatchSize = 64;
    private readonly FaultRig _rig = new(output);

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task AppendBatch_WriterSigkilledAtRandomMoments_EveryReportedBatchKeptAndNoBatchHalfStored()
    {
        string writer = RepoPaths.BuiltAssembly("tools/EdgeAgent.Benchmarks", "EdgeAgent.Benchmarks.dll");
        int kills = FaultScale.Full ? 10 : 3;
        var random = new Random();
        long reported = 0;
        var moments = new List<string>();
        for (int kill = 1; kill <= kills; kill++)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[] { writer, "outbox-writer", _rig.OutboxPath, BatchSize.ToString(CultureInfo.InvariantCulture) })
                start.ArgumentList.Add(a);
            using Process process = Process.Start(start)!;
            long last = 0;
            var gate = new Lock();
            var errors = new System.Text.StringBuilder();
            var firstCommit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not { } line || !line.StartsWith("committed ", StringComparison.Ordinal)) return;
                lock (gate) last = Math.Max(last, long.Parse(line.Split(' ')[2], CultureInfo.InvariantCulture));
                firstCommit.TrySetResult();
            };
            process.ErrorDataReceived += (_, e) =>
            {
                lock (gate) errors.AppendLine(e.Data);
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            // Wait for its first commit (the process is up and writing), then kill it a random time later.
            await firstCommit.Task.WaitAsync(TimeSpan.FromMinutes(2));
            int delayMs = random.Next(20, 700);
            await Task.Delay(delayMs);
            process.Kill();   // SIGKILL
            process.WaitForExit();   // also drains what it printed before it died
            Assert.False(errors.ToString().Trim().Length > 0, errors.ToString());
            Assert.True(last >= reported, $"run {kill} reported #{last} after #{reported}");
            reported = last;
            moments.Add($"{delayMs} ms");

            var rows = OutboxFile.Rows(_rig.OutboxPath);
            Assert.Equal("ok", OutboxFile.IntegrityCheck(_rig.OutboxPath));
            Assert.True(rows.Count >= reported, $"run {kill}: #{reported} was reported committed, the file holds {rows.Count} reads");
            Assert.True(rows.Count % BatchSize == 0, $"run {kill}: {rows.Count} reads is not whole batches of {BatchSize}");
            Assert.Equal(Enumerable.Range(1, rows.Count).Select(s => (long)s), rows.Select(r => r.Seq));
        }
        var final = OutboxFile.Rows(_rig.OutboxPath);
        _rig.Figure($"batched insert SIGKILLed x{kills} [{(FaultScale.Full ? "full" : "quick")}], {string.Join(", ", moments)} after each writer's first commit: " +
                    $"{final.Count} reads in {final.Count / BatchSize} whole batches of {BatchSize}, every reported batch kept (last reported #{reported}), " +
                    $"{final.Count - reported} committed but not yet reported at the last kill, 0 half-stored batches, integrity_check: ok");
    }
}
