using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// Not a benchmark: the batch writer the fault tests SIGKILL (see OutboxWriter).
if (args is ["outbox-writer", var outboxPath, var batchSize])
    return EdgeAgent.Benchmarks.OutboxWriter.Run(outboxPath, int.Parse(batchSize, System.Globalization.CultureInfo.InvariantCulture));

// In-process: the stages call the project's native bridge, Tesseract and SQLite, which the benchmark
// process finds beside this assembly exactly as the agent does. A short job by default (a shared 2-core
// machine gives noisy figures anyway; pass --job default for BenchmarkDotNet's full runs).
IConfig config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).AsDefault())
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkSwitcher.FromAssembly(typeof(EdgeAgent.Benchmarks.SampleFrames).Assembly).Run(args, config);
return 0;
