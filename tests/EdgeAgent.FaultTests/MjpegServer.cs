using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EdgeAgent.FaultTests;

/// <summary>
/// A live camera stand-in: an HTTP server on loopback that streams a video as multipart MJPEG (what many IP
/// cameras serve), and can be told to stall: the connection stays open and no more bytes come, as when a
/// camera hangs or a link goes silent without closing.
/// </summary>
public sealed class MjpegServer : IAsyncDisposable
{
    private const string Boundary = "ffmpeg";   // ffmpeg's mpjpeg muxer writes this boundary
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly byte[] _stream;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private volatile bool _stalled;
    private int _connections;

    private MjpegServer(byte[] stream)
    {
        _stream = stream;
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/stream.mjpg";

    /// <summary>How many times a client connected (the agent's opens and reopens).</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>From now on every connection goes silent (open, no bytes); false resumes for new connections.</summary>
    public bool Stalled { get => _stalled; set => _stalled = value; }

    /// <summary>Converts a video to an MJPEG multipart stream with ffmpeg and serves it in a loop.</summary>
    public static async Task<MjpegServer> StartAsync(string video, string folder)
    {
        string mjpeg = Path.Combine(folder, "stream.mjpeg");
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (string a in new[] { "-loglevel", "error", "-y", "-i", video, "-q:v", "5", "-f", "mpjpeg", mjpeg }) start.ArgumentList.Add(a);
        using (Process p = Process.Start(start)!)
        {
            string errors = await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            if (p.ExitCode != 0) throw new InvalidOperationException($"ffmpeg could not make the MJPEG stream: {errors}");
        }
        return new MjpegServer(await File.ReadAllBytesAsync(mjpeg));
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => StreamAsync(client));
        }
    }

    private async Task StreamAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream net = client.GetStream();
                var request = new byte[4096];
                _ = await net.ReadAsync(request, _stop.Token);   // the GET; its contents do not matter
                await net.WriteAsync(Encoding.ASCII.GetBytes(
                    $"HTTP/1.0 200 OK\r\nContent-Type: multipart/x-mixed-replace;boundary={Boundary}\r\nCache-Control: no-cache\r\n\r\n"), _stop.Token);
                while (!_stop.IsCancellationRequested)
                {
                    // About 8 frames a second, as the camera would: 16 KB every 40 ms is near that for these frames.
                    for (int at = 0; at < _stream.Length && !_stop.IsCancellationRequested; at += 16 * 1024)
                    {
                        while (_stalled && !_stop.IsCancellationRequested) await Task.Delay(100, _stop.Token);
                        await net.WriteAsync(_stream.AsMemory(at, Math.Min(16 * 1024, _stream.Length - at)), _stop.Token);
                        await Task.Delay(40, _stop.Token);
                    }
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The agent hung up (a reopen) or the test ended.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
