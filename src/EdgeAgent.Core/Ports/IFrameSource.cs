using EdgeAgent.Core.Frames;

namespace EdgeAgent.Core.Ports;

/// <summary>What a source says about itself once open.</summary>
public readonly record struct FrameSourceInfo(int Width, int Height, double Fps, long FrameCount, bool IsLive);

/// <summary>What one read from a source gave.</summary>
public enum FrameReadResult
{
    Frame,
    /// <summary>A recorded source reached its end.</summary>
    EndOfStream,
}

/// <summary>A camera, a video file or a stream. Opened once; reads into caller-owned frames.</summary>
public interface IFrameSource : IDisposable
{
    /// <summary>The URI as configured (for messages and health).</summary>
    string Uri { get; }

    FrameSourceInfo Info { get; }

    /// <summary>
    /// Reads the next frame into <paramref name="frame"/> (BGR and gray). Throws a
    /// <see cref="FrameSourceException"/> when the source fails; that message names the source and the fix.
    /// </summary>
    FrameReadResult Read(Frame frame);
}

/// <summary>A source could not be opened or failed mid-stream.</summary>
public sealed class FrameSourceException : Exception
{
    public FrameSourceException(string message) : base(message) { }
    public FrameSourceException(string message, Exception inner) : base(message, inner) { }
    public FrameSourceException() { }
}
