using System.Buffers;
using System.Text.Json;

using EdgeAgent.Core.Contract;
using EdgeAgent.Core.Ports;
using EdgeAgent.Core.Reads;
using EdgeAgent.Platform;
using EdgeAgent.Storage;
using EdgeAgent.Transport;

namespace EdgeAgent.Hosting;

/// <summary>Everything one health message says (contract/v1/health.schema.json).</summary>
public sealed record HealthReport(
    DateTimeOffset Time,
    TimeSpan Uptime,
    IReadOnlyList<CameraSnapshot> Cameras,
    double FramesPerSecond,
    OutboxStats Outbox,
    long OutboxLiveBytes,
    long OutboxMaxBytes,
    long EvictedUnsent,
    long Evictions,
    long PurgedDelivered,
    long EvictionsAudited,
    DiskUsage? Disk,
    ClockState Clock,
    ForwarderStatus? Link,
    bool Tls,
    long ReadsRecorded,
    ProcessFigures? Process = null)
{
    /// <summary>The payload of <c>.../health</c>: no plate, no hash, no camera address, no credential.</summary>
    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("v", ReadMessage.Version);
            w.WriteString("time", ReadMessage.FormatTime(Time));
            w.WriteNumber("uptime_s", Math.Round(Uptime.TotalSeconds, 1));

            w.WriteStartObject("frames");
            w.WriteNumber("per_second", Math.Round(FramesPerSecond, 2));
            w.WriteNumber("processed", Cameras.Sum(c => c.FramesProcessed));
            w.WriteNumber("dropped", Cameras.Sum(c => c.FramesDropped));
            w.WriteEndObject();

            w.WriteStartArray("cameras");
            foreach (CameraSnapshot c in Cameras)
            {
                w.WriteStartObject();
                w.WriteString("camera", c.Camera);
                w.WriteString("state", c.State.ToString().ToLowerInvariant());
                w.WriteString("since", ReadMessage.FormatTime(c.Since));
                w.WriteBoolean("live", c.Live);
                w.WriteNumber("frames_captured", c.FramesCaptured);
                w.WriteNumber("frames_dropped", c.FramesDropped);
                w.WriteNumber("reopens", c.Reopens);
                if (c.LastError is { } error) w.WriteString("last_error", error);
                w.WriteEndObject();
            }
            w.WriteEndArray();

            w.WriteStartObject("outbox");
            w.WriteNumber("depth", Outbox.Unsent);
            if (Outbox.OldestUnsent is { } oldest) w.WriteNumber("oldest_unsent_age_s", Math.Round(Math.Max(0, (Time - oldest).TotalSeconds), 1));
            else w.WriteNull("oldest_unsent_age_s");
            w.WriteNumber("rows", Outbox.Total);
            w.WriteNumber("live_bytes", OutboxLiveBytes);
            w.WriteNumber("file_bytes", Outbox.FileBytes);
            w.WriteNumber("max_bytes", OutboxMaxBytes);
            w.WriteNumber("evicted_unsent", EvictedUnsent);
            w.WriteNumber("evictions", Evictions);
            w.WriteNumber("purged_delivered", PurgedDelivered);
            w.WriteNumber("evictions_audited", EvictionsAudited);
            w.WriteNumber("reads_recorded", ReadsRecorded);
            w.WriteEndObject();

            w.WriteStartObject("disk");
            if (Disk is { } d)
            {
                w.WriteNumber("free_bytes", d.FreeBytes);
                w.WriteNumber("total_bytes", d.TotalBytes);
            }
            else
            {
                w.WriteNull("free_bytes");
                w.WriteNull("total_bytes");
            }
            w.WriteEndObject();

            w.WriteStartObject("clock");
            w.WriteBoolean("synced", Clock.Synced);
            w.WriteNumber("offset_ms", Math.Round(Clock.OffsetMs, 3));
            w.WriteString("source", Clock.Source);
            w.WriteEndObject();

            if (Process is { } p)
            {
                w.WriteStartObject("process");
                w.WriteNumber("rss_bytes", p.RssBytes);
                w.WriteNumber("managed_heap_bytes", p.ManagedHeapBytes);
                w.WriteNumber("threads", p.Threads);
                w.WriteNumber("open_files", p.OpenFiles);
                w.WriteEndObject();
            }

            w.WriteStartObject("link");
            w.WriteBoolean("tls", Tls);
            if (Link is { } l)
            {
                w.WriteBoolean("connected", l.Connected);
                w.WriteNumber("published", l.Published);
                w.WriteNumber("acknowledged", l.Acknowledged);
                w.WriteNumber("in_flight", l.InFlight);
                w.WriteNumber("reconnects", l.Reconnects);
                w.WriteNumber("rejected", l.Rejected);
                if (l.LastError is { } e) w.WriteString("last_error", e);
            }
            else
            {
                w.WriteBoolean("connected", false);
            }
            w.WriteEndObject();

            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>The agent process's own resources (from /proc and the GC), so a slow leak shows in health.</summary>
public sealed record ProcessFigures(long RssBytes, long ManagedHeapBytes, int Threads, int OpenFiles)
{
    public static ProcessFigures Read()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        int files = Directory.Exists("/proc/self/fd") ? Directory.GetFiles("/proc/self/fd").Length : 0;
        return new ProcessFigures(self.WorkingSet64, GC.GetGCMemoryInfo().HeapSizeBytes, self.Threads.Count, files);
    }
}
