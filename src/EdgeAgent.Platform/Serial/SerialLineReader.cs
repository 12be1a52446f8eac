using Microsoft.Extensions.Logging;

namespace EdgeAgent.Platform.Serial;

/// <summary>What a handler made of one line.</summary>
public enum LineVerdict
{
    Accepted,
    /// <summary>Well-formed but not wanted (e.g. an NMEA sentence other than GGA/RMC).</summary>
    Ignored,
    /// <summary>Noise: counted and skipped.</summary>
    Malformed,
}

/// <summary>Turns the lines of one serial device into state. Called on the reader's thread only.</summary>
public interface ISerialLineHandler
{
    LineVerdict OnLine(ReadOnlySpan<byte> line, DateTimeOffset receivedAt, out string? problem);
}

/// <summary>A serial input of the agent: a name for logs and the doctor, the device and its speed.</summary>
public sealed record SerialInputOptions(string Name, string Device, int Baud = 9600)
{
    /// <summary>The longest a read waits (VTIME): also how soon a stop request is noticed.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan MaxReopenDelay { get; init; } = TimeSpan.FromSeconds(30);
    public int MaxLineLength { get; init; } = 256;
}

/// <summary>A snapshot of a serial input for health, the doctor and tests.</summary>
public sealed record SerialInputStatus(
    string Name, string Device, bool Open, long Lines, long Accepted, long Ignored, long Malformed, long Overlong,
    long Opens, string? LastError, DateTimeOffset? LastLineAt);

/// <summary>
/// Reads lines from a serial device on its own thread and hands them to a handler; counts what was
/// accepted, ignored and malformed. A device that is missing, unplugged or hung up is reopened with
/// backoff, without end: a roadside GPS or loop detector may come back at any time, and the agent keeps
/// reading plates meanwhile.
/// </summary>
public sealed partial class SerialLineReader
{
    private readonly SerialInputOptions _options;
    private readonly ISerialLineHandler _handler;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LineAssembler _lines;
    private readonly LineHandler _onLine;
    private DateTimeOffset _receivedAt;
    private volatile bool _open;
    private long _accepted, _ignored, _malformed, _opens, _lastLineTicks;
    private volatile string? _lastError;

    public SerialLineReader(SerialInputOptions options, ISerialLineHandler handler, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _handler = handler;
        _time = time;
        _logger = logger;
        _lines = new LineAssembler(options.MaxLineLength);
        _onLine = OnLine;  // one delegate for the reader's life: no allocation per read
    }

    public SerialInputOptions Options => _options;

    public SerialInputStatus Status
    {
        get
        {
            long accepted = Interlocked.Read(ref _accepted), ignored = Interlocked.Read(ref _ignored), malformed = Interlocked.Read(ref _malformed);
            long last = Interlocked.Read(ref _lastLineTicks);
            return new SerialInputStatus(_options.Name, _options.Device, _open, accepted + ignored + malformed, accepted, ignored, malformed,
                _lines.Overlong, Interlocked.Read(ref _opens), _lastError, last == 0 ? null : new DateTimeOffset(last, TimeSpan.Zero));
        }
    }

    /// <summary>Reads until cancelled. The blocking reads run on a dedicated thread; the task ends with it.</summary>
    public Task RunAsync(CancellationToken cancellation)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Loop(cancellation);
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "serial " + _options.Name,
        };
        thread.Start();
        return done.Task;
    }

    private void Loop(CancellationToken cancellation)
    {
        var buffer = new byte[512];
        int failures = 0;
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                using SerialPort port = SerialPort.Open(_options.Device, _options.Baud, _options.ReadTimeout);
                _open = true;
                _lastError = null;
                failures = 0;
                Interlocked.Increment(ref _opens);
                _lines.Reset();
                Log.Opened(_logger, _options.Name, _options.Device, _options.Baud);
                while (!cancellation.IsCancellationRequested)
                {
                    int n = port.Read(buffer);
                    if (n == 0) continue;
                    _receivedAt = _time.GetUtcNow();
                    _lines.Feed(buffer.AsSpan(0, n), _onLine);
                }
            }
            catch (SerialPortException e)
            {
                _open = false;
                _lastError = e.Message;
                TimeSpan delay = Backoff(++failures);
                // The first failure is an error; repeats of a device that stays away are warnings, less often.
                if (failures == 1) Log.Failed(_logger, _options.Name, e.Message, delay.TotalSeconds);
                else if (failures % 10 == 0) Log.StillFailing(_logger, _options.Name, failures, e.Message);
                cancellation.WaitHandle.WaitOne(delay);
            }
            finally
            {
                _open = false;
            }
        }
        var s = Status;
        Log.Stopped(_logger, _options.Name, s.Accepted, s.Ignored, s.Malformed, s.Overlong);
    }

    private void OnLine(ReadOnlySpan<byte> line)
    {
        LineVerdict verdict;
        string? problem;
        try
        {
            verdict = _handler.OnLine(line, _receivedAt, out problem);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            // A parser bug must cost one line, not the input.
            verdict = LineVerdict.Malformed;
            problem = e.Message;
        }
        Interlocked.Exchange(ref _lastLineTicks, _receivedAt.UtcTicks);
        switch (verdict)
        {
            case LineVerdict.Accepted:
                Interlocked.Increment(ref _accepted);
                break;
            case LineVerdict.Ignored:
                Interlocked.Increment(ref _ignored);
                break;
            default:
                long count = Interlocked.Increment(ref _malformed);
                // The first few say what is wrong; then one in a hundred, so a babbling device cannot flood the log.
                if (count <= 5 || count % 100 == 0) Log.Malformed(_logger, _options.Name, count, problem ?? "not understood");
                break;
        }
    }

    private TimeSpan Backoff(int failures) =>
        TimeSpan.FromSeconds(Math.Min(_options.MaxReopenDelay.TotalSeconds, Math.Pow(2, Math.Min(failures - 1, 10)) * 0.5));

    private static partial class Log
    {
        [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Serial {Name} open on {Device} at {Baud} baud")]
        public static partial void Opened(ILogger logger, string name, string device, int baud);

        [LoggerMessage(EventId = 7002, Level = LogLevel.Error, Message = "Serial {Name}: {Reason}; retrying in {Seconds:0.#} s (the agent runs on without it)")]
        public static partial void Failed(ILogger logger, string name, string reason, double seconds);

        [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Serial {Name}: skipped malformed line #{Count}: {Problem}")]
        public static partial void Malformed(ILogger logger, string name, long count, string problem);

        [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "Serial {Name}: still unavailable after {Attempts} attempts: {Reason}")]
        public static partial void StillFailing(ILogger logger, string name, int attempts, string reason);

        [LoggerMessage(EventId = 7005, Level = LogLevel.Information, Message = "Serial {Name} stopped: {Accepted} lines used, {Ignored} ignored, {Malformed} malformed, {Overlong} over-long")]
        public static partial void Stopped(ILogger logger, string name, long accepted, long ignored, long malformed, long overlong);
    }
}
