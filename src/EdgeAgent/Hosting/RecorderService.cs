using Microsoft.Extensions.Hosting;

namespace EdgeAgent.Hosting;

/// <summary>Runs the <see cref="ReadRecorder"/> loop for the host's lifetime.</summary>
public sealed class RecorderService(ReadRecorder recorder) : BackgroundService
{
    /// <summary>Completes when the recorder has committed every pass it was given and was told no more come.</summary>
    public Task Completion => ExecuteTask ?? Task.CompletedTask;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => recorder.RunAsync(stoppingToken);
}
