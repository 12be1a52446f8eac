using System.Diagnostics;
using System.Text;

namespace EdgeAgent.SampleGen.Output;

/// <summary>Starts ffmpeg with an argument list (never a shell string, so paths need no quoting)
/// and keeps the tail of its stderr for the error message when it fails.</summary>
internal sealed class Ffmpeg(string executable)
{
    public string Executable { get; } = executable;

    public Process Start(IEnumerable<string> arguments, bool writeStdin, out StringBuilder stderrTail)
    {
        var info = new ProcessStartInfo(Executable)
        {
            RedirectStandardInput = writeStdin,
            RedirectStandardOutput = !writeStdin,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        var tail = new StringBuilder();
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {Executable}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"could not start '{Executable}' ({e.Message}); install ffmpeg (Debian package ffmpeg) or pass --ffmpeg PATH", e);
        }

        // Drained on its own thread: a full stderr pipe would block ffmpeg and, through it, us.
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (tail)
            {
                tail.AppendLine(e.Data);
                if (tail.Length > 8000)
                {
                    tail.Remove(0, tail.Length - 8000);
                }
            }
        };
        process.BeginErrorReadLine();
        stderrTail = tail;
        return process;
    }

    /// <summary>Runs ffmpeg to completion and returns exactly <paramref name="expectedBytes"/> of
    /// its stdout (one raw frame).</summary>
    public byte[] RunForBytes(IEnumerable<string> arguments, int expectedBytes)
    {
        using Process process = Start(arguments, writeStdin: false, out StringBuilder tail);
        var buffer = new byte[expectedBytes];
        int read = 0;
        Stream stdout = process.StandardOutput.BaseStream;
        while (read < expectedBytes)
        {
            int n = stdout.Read(buffer, read, expectedBytes - read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        stdout.CopyTo(Stream.Null);
        process.WaitForExit();
        if (process.ExitCode != 0 || read != expectedBytes)
        {
            throw new InvalidOperationException(
                $"ffmpeg exited with {process.ExitCode} after {read} of {expectedBytes} bytes: {Tail(tail)}");
        }

        return buffer;
    }

    public static string Tail(StringBuilder tail)
    {
        lock (tail)
        {
            return tail.ToString().Trim();
        }
    }
}
