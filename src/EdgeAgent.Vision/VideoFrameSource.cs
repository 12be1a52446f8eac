using EdgeAgent.Core.Frames;
using EdgeAgent.Core.Ports;
using EdgeAgent.Vision.Native;

namespace EdgeAgent.Vision;

/// <summary>
/// A camera, stream or video file through the bridge's FFmpeg decoder: a file path, rtsp:// or http(s)://
/// URL, /dev/videoN or v4l2:N. Frames are decoded straight into the ring's pinned buffers.
/// </summary>
public sealed unsafe class VideoFrameSource : IFrameSource
{
    private readonly SafeSourceHandle _handle;

    private VideoFrameSource(string uri, SafeSourceHandle handle, FrameSourceInfo info)
    {
        Uri = uri;
        _handle = handle;
        Info = info;
    }

    public string Uri { get; }
    public FrameSourceInfo Info { get; }

    /// <summary>Opens the source; a <see cref="FrameSourceException"/> names the source and what to check.</summary>
    public static VideoFrameSource Open(string uri)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uri);
        VisionNative.EnsureLoaded();
        int status = NativeMethods.ea_source_open(uri, out SafeSourceHandle handle);
        if (status < 0)
        {
            handle.Dispose();
            throw new FrameSourceException(VisionNative.LastError());
        }
        VisionNative.Check(NativeMethods.ea_source_info_get(handle, out NativeMethods.SourceInfo raw), "ea_source_info_get");
        bool live = raw.FrameCount < 0;
        return new VideoFrameSource(uri, handle, new FrameSourceInfo(raw.Width, raw.Height, raw.Fps, raw.FrameCount, live));
    }

    public FrameReadResult Read(Frame frame)
    {
        if (frame.Width != Info.Width || frame.Height != Info.Height)
            throw new FrameSourceException($"source {Uri} delivers {Info.Width}x{Info.Height} but the frame buffer is {frame.Width}x{frame.Height}");
        int status;
        double pts;
        fixed (byte* bgr = frame.Bgr)
        fixed (byte* gray = frame.Gray)
        {
            status = NativeMethods.ea_source_read(_handle, bgr, frame.BgrStride, gray, frame.GrayStride, frame.Width, frame.Height, out pts);
        }
        if (status < 0) throw new FrameSourceException(VisionNative.LastError());
        if (status == 0) return FrameReadResult.EndOfStream;
        frame.StreamTimeMs = pts;
        return FrameReadResult.Frame;
    }

    public void Dispose() => _handle.Dispose();
}
