using System.Globalization;
using System.Text.Json;

using Spectre.Console;

namespace EdgeAgent.Bench;

/// <summary>What one `edgeagent bench` run measured: a table for people, JSON for machines, one summary line.</summary>
public sealed record BenchResult
{
    public required string Video { get; init; }
    public required int Cameras { get; init; }
    public required bool Mqtt { get; init; }
    public required int WarmupFrames { get; init; }

    /// <summary>Frames processed in the measured window, every camera together.</summary>
    public required long Frames { get; init; }
    public required double Seconds { get; init; }
    public required double Fps { get; init; }
    public required double MsP50 { get; init; }
    public required double MsP99 { get; init; }

    /// <summary>Every managed byte the process allocated in the window, over the window's frames.</summary>
    public required double AllocBytesPerFrame { get; init; }
    /// <summary>The frame loops' own threads only (the rest is the recorder, outbox and forwarder working on reads).</summary>
    public required double LoopAllocBytesPerFrame { get; init; }
    public required long FramesAllocatingWithoutPass { get; init; }
    public required int Gc0 { get; init; }
    public required int Gc1 { get; init; }
    public required int Gc2 { get; init; }
    public required double RssMb { get; init; }

    public required double DecodeFps { get; init; }
    /// <summary>CPU time of the decode-only run per frame: a figure that a busy machine disturbs less than frames/s.</summary>
    public required double DecodeCpuMsPerFrame { get; init; }
    /// <summary>CPU time of the whole process per frame in the window (every thread).</summary>
    public required double CpuMsPerFrame { get; init; }
    /// <summary>CPU time of the processing threads per frame (thread clock): unlike wall time, not stretched by a busy machine.</summary>
    public required double LoopCpuMsPerFrame { get; init; }
    /// <summary>CPU time of the capture threads per frame (decode, BGR and gray) in the pipeline, beside the processing thread.</summary>
    public double CaptureCpuMsPerFrame { get; init; }
    /// <summary>Wall ms per frame the processing threads waited for a captured frame (capture behind).</summary>
    public double ProcessingWaitMsPerFrame { get; init; }
    /// <summary>Wall ms per frame the capture threads waited for a free frame (the ring full: processing behind).</summary>
    public double CaptureWaitMsPerFrame { get; init; }
    public required double FindMsPerFrame { get; init; }
    public required double ReadMsPerFrame { get; init; }
    public required double TrackMsPerFrame { get; init; }
    public required double CandidatesPerFrame { get; init; }
    public required double ReadAttemptsPerFrame { get; init; }
    /// <summary>Share of frames whose whole region was searched (all without the motion gate).</summary>
    public required double FullSearchShare { get; init; }
    /// <summary>Share of the region's pixels searched, over the window.</summary>
    public required double SearchedShare { get; init; }
    public required long Dropped { get; init; }

    /// <summary>Reads committed to the outbox in the whole run, and their frame-to-outbox latency.</summary>
    public required long Reads { get; init; }
    public required double ReadLatencyMsP50 { get; init; }
    public required double ReadLatencyMsP99 { get; init; }
    public required long Published { get; init; }

    /// <summary>Reads whose redacted images were kept, and those whose images were dropped (queue full, stopped first); both 0 with evidence off.</summary>
    public long EvidenceKept { get; init; }
    public long EvidenceDropped { get; init; }
    public bool EvidenceEnabled { get; init; }

    public double ShareOfDecode => DecodeFps > 0 ? Fps / DecodeFps : 0;

    // Printed from the values the JSON carries, so a figure never reads 11.7 in one and 11.75 (11.8) in the other.
    public string SummaryLine =>
        string.Create(CultureInfo.InvariantCulture,
            $"fps={Math.Round(Fps, 2):0.0} alloc_bytes_per_frame={Math.Round(AllocBytesPerFrame, 1):0.#} decode_fps={Math.Round(DecodeFps, 2):0.0}");

    public void WriteTable(IAnsiConsole console)
    {
        var table = new Table().Title($"edgeagent bench: {Path.GetFileName(Video)}, {Cameras} camera(s), MQTT {(Mqtt ? "on" : "off")}")
            .AddColumn("measure").AddColumn(new TableColumn("value").RightAligned()).AddColumn("note");
        void Row(string measure, string value, string note = "") => table.AddRow(Markup.Escape(measure), Markup.Escape(value), Markup.Escape(note));
        string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

        Row("frames", Frames.ToString(CultureInfo.InvariantCulture), $"measured, after {WarmupFrames} warm-up frames; {F(Seconds, "0.0")} s");
        Row("frames/s", F(Fps, "0.0"), $"{F(ShareOfDecode * 100, "0")}% of decode-only");
        Row("decode-only frames/s", F(DecodeFps, "0.0"), "the same video, decode + gray only (the ceiling)");
        Row("CPU ms per frame", $"{F(CpuMsPerFrame, "0.00")} / {F(DecodeCpuMsPerFrame, "0.00")}", "whole process, pipeline / decode-only (less disturbed by a busy machine)");
        Row("  processing thread CPU ms", F(LoopCpuMsPerFrame, "0.00"),
            LoopCpuMsPerFrame > 0 ? $"per frame: find, read, track (one thread alone on a core: {F(1000 / LoopCpuMsPerFrame, "0")} frames/s)" : "no thread clock");
        Row("  capture thread CPU ms", F(CaptureCpuMsPerFrame, "0.00"), $"per frame: decode, BGR and gray in the pipeline (decode-only alone: {F(DecodeCpuMsPerFrame, "0.00")})");
        Row("  waited: processing / capture", $"{F(ProcessingWaitMsPerFrame, "0.00")} / {F(CaptureWaitMsPerFrame, "0.00")}",
            "wall ms per frame: processing for a captured frame / capture for a free slot of the ring");
        Row("ms per frame p50 / p99", $"{F(MsP50, "0.00")} / {F(MsP99, "0.00")}", "processing thread: find, read, track");
        Row("  find / read / track", $"{F(FindMsPerFrame, "0.00")} / {F(ReadMsPerFrame, "0.00")} / {F(TrackMsPerFrame, "0.000")}", "mean ms per frame");
        Row("  searched: whole region / pixels", $"{F(FullSearchShare * 100, "0.0")}% / {F(SearchedShare * 100, "0.0")}%",
            "of frames searched whole / of the region's pixels searched (Finder:MotionGate)");
        Row("  candidates / read per frame", $"{F(CandidatesPerFrame, "0.00")} / {F(ReadAttemptsPerFrame, "0.00")}", "found by the finder / given to the reader");
        Row("allocated bytes per frame", F(AllocBytesPerFrame, "0.#"), "whole process (GC.GetTotalAllocatedBytes) over the window");
        Row("  frame loop only", F(LoopAllocBytesPerFrame, "0.#"), $"{FramesAllocatingWithoutPass} frames allocated without ending a pass");
        Row("GC collections gen0 / gen1 / gen2", $"{Gc0} / {Gc1} / {Gc2}", "in the window");
        Row("peak RSS MB", F(RssMb, "0.0"), "pipeline phase (VmHWM)");
        Row("reads", Reads.ToString(CultureInfo.InvariantCulture), Mqtt ? $"{Published} published" : "MQTT off");
        Row("read latency ms p50 / p99", $"{F(ReadLatencyMsP50, "0.0")} / {F(ReadLatencyMsP99, "0.0")}", "frame that completed the pass -> committed to the outbox");
        Row("dropped frames", Dropped.ToString(CultureInfo.InvariantCulture));
        Row("evidence kept / dropped", EvidenceEnabled ? $"{EvidenceKept} / {EvidenceDropped}" : "off",
            EvidenceEnabled ? "reads whose redacted images were kept / dropped (queue full or stopped first; the read is kept)" : "");
        console.Write(table);
    }

    public void WriteJson(Stream stream)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("frames", Frames);
        json.WriteNumber("fps", Math.Round(Fps, 2));
        json.WriteNumber("ms_p50", Math.Round(MsP50, 3));
        json.WriteNumber("ms_p99", Math.Round(MsP99, 3));
        json.WriteNumber("alloc_bytes_per_frame", Math.Round(AllocBytesPerFrame, 1));
        json.WriteNumber("gc0", Gc0);
        json.WriteNumber("gc1", Gc1);
        json.WriteNumber("gc2", Gc2);
        json.WriteNumber("rss_mb", Math.Round(RssMb, 1));
        json.WriteNumber("decode_fps", Math.Round(DecodeFps, 2));
        // Beyond the contract's keys: what explains the figures above.
        json.WriteString("video", Path.GetFileName(Video));
        json.WriteNumber("cameras", Cameras);
        json.WriteBoolean("mqtt", Mqtt);
        json.WriteNumber("warmup_frames", WarmupFrames);
        json.WriteNumber("seconds", Math.Round(Seconds, 3));
        json.WriteNumber("share_of_decode", Math.Round(ShareOfDecode, 3));
        json.WriteNumber("cpu_ms_per_frame", Math.Round(CpuMsPerFrame, 3));
        json.WriteNumber("decode_cpu_ms_per_frame", Math.Round(DecodeCpuMsPerFrame, 3));
        json.WriteNumber("loop_cpu_ms_per_frame", Math.Round(LoopCpuMsPerFrame, 3));
        json.WriteNumber("capture_cpu_ms_per_frame", Math.Round(CaptureCpuMsPerFrame, 3));
        json.WriteNumber("processing_wait_ms_per_frame", Math.Round(ProcessingWaitMsPerFrame, 3));
        json.WriteNumber("capture_wait_ms_per_frame", Math.Round(CaptureWaitMsPerFrame, 3));
        json.WriteNumber("loop_alloc_bytes_per_frame", Math.Round(LoopAllocBytesPerFrame, 1));
        json.WriteNumber("frames_allocating_without_pass", FramesAllocatingWithoutPass);
        json.WriteNumber("find_ms", Math.Round(FindMsPerFrame, 3));
        json.WriteNumber("read_ms", Math.Round(ReadMsPerFrame, 3));
        json.WriteNumber("track_ms", Math.Round(TrackMsPerFrame, 4));
        json.WriteNumber("candidates_per_frame", Math.Round(CandidatesPerFrame, 3));
        json.WriteNumber("read_attempts_per_frame", Math.Round(ReadAttemptsPerFrame, 3));
        json.WriteNumber("full_search_share", Math.Round(FullSearchShare, 4));
        json.WriteNumber("searched_share", Math.Round(SearchedShare, 4));
        json.WriteNumber("dropped", Dropped);
        json.WriteNumber("reads", Reads);
        json.WriteNumber("published", Published);
        json.WriteNumber("read_latency_ms_p50", Math.Round(ReadLatencyMsP50, 2));
        json.WriteNumber("read_latency_ms_p99", Math.Round(ReadLatencyMsP99, 2));
        json.WriteBoolean("evidence", EvidenceEnabled);
        json.WriteNumber("evidence_kept", EvidenceKept);
        json.WriteNumber("evidence_dropped", EvidenceDropped);
        json.WriteEndObject();
    }
}
