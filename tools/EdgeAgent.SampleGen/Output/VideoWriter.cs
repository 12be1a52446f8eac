using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeAgent.SampleGen.Rendering;

namespace EdgeAgent.SampleGen.Output;

/// <summary>
/// Encodes frames by piping raw bgr24 to ffmpeg's libx264: H.264 in MP4, yuv420p so every
/// player and OpenCV build can read it, the moov atom in front so it streams.
/// </summary>
internal sealed class VideoWriter : IDisposable
{
    private readonly Process _process;
    private readonly Stream _stdin;
    private readonly StringBuilder _stderr;
    private bool _finished;

    private VideoWriter(Process process, StringBuilder stderr)
    {
        _process = process;
        _stdin = process.StandardInput.BaseStream;
        _stderr = stderr;
    }

    public static VideoWriter Start(Ffmpeg ffmpeg, string path, int width, int height, int fps, int crf, string preset)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        string[] args =
        [
            "-hide_banner", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", $"{width}x{height}", "-r", fps.ToString(CultureInfo.InvariantCulture), "-i", "-",
            "-c:v", "libx264", "-preset", preset, "-crf", crf.ToString(CultureInfo.InvariantCulture), "-pix_fmt", "yuv420p",
            // Container metadata without the ffmpeg version, so a rerun with the same seed and the
            // same x264 build produces the same bytes.
            "-fflags", "+bitexact", "-map_metadata", "-1", "-movflags", "+faststart",
            path,
        ];
        Process process = ffmpeg.Start(args, writeStdin: true, out StringBuilder stderr);
        return new VideoWriter(process, stderr);
    }

    public void Write(Bgr24Frame frame)
    {
        try
        {
            _stdin.Write(frame.Data, 0, frame.Data.Length);
        }
        catch (IOException e)
        {
            _process.WaitForExit(5000);
            throw new InvalidOperationException($"ffmpeg stopped reading frames: {Ffmpeg.Tail(_stderr)}", e);
        }
    }

    /// <summary>Closes the pipe (ffmpeg then flushes and writes the index) and checks the exit code.</summary>
    public void Finish()
    {
        _finished = true;
        _stdin.Dispose();
        _process.WaitForExit();
        if (_process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg exited with {_process.ExitCode}: {Ffmpeg.Tail(_stderr)}");
        }
    }

    public void Dispose()
    {
        if (!_finished)
        {
            // Abandoned mid-way (an exception): do not leave ffmpeg waiting on a pipe.
            try
            {
                _stdin.Dispose();
                if (!_process.WaitForExit(5000))
                {
                    _process.Kill();
                }
            }
            catch (IOException)
            {
                // The pipe is already broken; ffmpeg has gone.
            }
        }

        _process.Dispose();
    }
}
