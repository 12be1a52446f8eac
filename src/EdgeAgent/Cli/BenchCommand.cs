using System.CommandLine;

using EdgeAgent.Bench;

namespace EdgeAgent.Cli;

/// <summary>`edgeagent bench`: how fast the whole pipeline runs on a recorded video, and what it costs.</summary>
public static class BenchCommand
{
    public static Command Create(string[] settingArgs)
    {
        var video = new Argument<FileInfo>("video") { Description = "A recorded video (any format FFmpeg decodes), e.g. samples/uk-traffic.mp4" };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the figures as JSON to this file" };
        var noMqtt = new Option<bool>("--no-mqtt") { Description = "Keep reads in the outbox instead of publishing them to a local broker" };
        var cameras = new Option<int>("--cameras")
        {
            Description = "Run this many cameras at once, each its own frame loop on the same video, sharing the outbox and MQTT connection",
            DefaultValueFactory = _ => 1,
        };
        var warmup = new Option<int>("--warmup")
        {
            Description = "Frames (all cameras together) processed before the measured window opens",
            DefaultValueFactory = _ => 100,
        };
        var drain = new Option<int>("--drain-timeout") { Description = "Seconds to wait for the broker to acknowledge every read at the end", DefaultValueFactory = _ => 60 };
        var command = new Command("bench",
            "Measure the whole pipeline on a recorded video: frames/s, ms per frame, allocations, GC, peak memory, read latency, against the video's decode-only rate")
        {
            video, json, noMqtt, cameras, warmup, drain,
        };
        cameras.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 16) r.AddError("--cameras must be 1..16"); });
        warmup.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--warmup must be 0 or more frames"); });
        drain.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--drain-timeout must be at least 1 second"); });
        command.SetAction((parse, cancellation) => BenchRunner.RunAsync(new BenchOptions
        {
            Video = parse.GetValue(video)!.FullName,
            Json = parse.GetValue(json),
            NoMqtt = parse.GetValue(noMqtt),
            Cameras = parse.GetValue(cameras),
            WarmupFrames = parse.GetValue(warmup),
            DrainTimeout = TimeSpan.FromSeconds(parse.GetValue(drain)),
        }, settingArgs, parse.GetValue(AgentCommands.ConfigOption), cancellation));
        return command;
    }
}
