using System.Diagnostics;
using System.Globalization;

using Spectre.Console;

namespace EdgeAgent.Cli.Output;

/// <summary>The progress items of one <see cref="CommandOutput.ProgressAsync{T}"/> call.</summary>
public sealed class CommandProgress
{
    private readonly string _title;
    private readonly TextWriter _writer;
    private readonly ProgressContext? _context;

    // An unknown total still counts on a terminal: the bar spins and the count column shows the value.
    internal const double UnknownTotal = 1e15;

    internal CommandProgress(string title, TextWriter writer, ProgressContext? context)
    {
        _title = title;
        _writer = writer;
        _context = context;
    }

    /// <summary>A new bar. A total of 0 or less means "unknown": a spinner, and plain lines every few seconds.</summary>
    /// <param name="terminalOnly">Draw it on a terminal only; in plain output it writes nothing (for short waits
    /// whose result gets its own line anyway).</param>
    public ProgressItem Add(string description, double total, bool terminalOnly = false)
    {
        if (_context is null) return new ProgressItem(description, total, null, terminalOnly ? null : new PlainProgressWriter(_title, _writer));
        ProgressTask task = _context.AddTask(Markup.Escape(description), autoStart: true, maxValue: total > 0 ? total : UnknownTotal);
        task.IsIndeterminate = total <= 0;
        return new ProgressItem(description, total, task, null);
    }
}

/// <summary>One bar. Thread-safe: the worker updates it while the terminal redraws it.</summary>
public sealed class ProgressItem
{
    private readonly ProgressTask? _task;
    private readonly PlainProgressWriter? _plain;
    private readonly Lock _gate = new();
    private string _description;
    private double _total;
    private double _value;
    private bool _done;

    internal ProgressItem(string description, double total, ProgressTask? task, PlainProgressWriter? plain)
    {
        _description = description;
        _total = total;
        _task = task;
        _plain = plain;
    }

    public double Value
    {
        get
        {
            lock (_gate) return _value;
        }
    }

    public bool IsDone
    {
        get
        {
            lock (_gate) return _done;
        }
    }

    public void Increment(double by = 1) => Set(Value + by);

    /// <summary>Sets the value (clamped to the total when one is known).</summary>
    public void Set(double value)
    {
        lock (_gate)
        {
            if (_done) return;
            _value = _total > 0 ? Math.Min(value, _total) : value;
            if (_task is not null) _task.Value = _value;
            _plain?.Report(_description, _value, _total);
        }
    }

    /// <summary>Changes the total once it becomes known (e.g. a stream that reports its length late).</summary>
    public void SetTotal(double total)
    {
        lock (_gate)
        {
            _total = total;
            if (_task is null) return;
            _task.IsIndeterminate = total <= 0;
            _task.MaxValue = total > 0 ? total : CommandProgress.UnknownTotal;
        }
    }

    /// <summary>Changes the text beside the bar (e.g. "camera: 12 of 50 frames").</summary>
    public void Describe(string description)
    {
        lock (_gate)
        {
            _description = description;
            if (_task is not null) _task.Description = Markup.Escape(description);
        }
    }

    /// <summary>Ends the bar: full on success; on a terminal a failed bar stops where it was.</summary>
    public void Complete(string? outcome = null)
    {
        lock (_gate)
        {
            if (_done) return;
            _done = true;
            if (outcome is not null) _description = $"{_description}: {outcome}";
            if (_task is not null)
            {
                _task.Description = Markup.Escape(_description);
                if (_task.IsIndeterminate)
                {
                    _task.IsIndeterminate = false;
                    _task.MaxValue = Math.Max(1, _value);
                    _task.Value = _task.MaxValue;
                }
                _task.StopTask();
            }
            _plain?.Done(_description, _value, _total);
        }
    }
}

/// <summary>
/// Progress as plain lines: one each time a tenth of the total is passed, or every few seconds when the
/// total is unknown, and one at the end. Few enough lines for a CI log, enough to see a run is alive.
/// </summary>
internal sealed class PlainProgressWriter(string title, TextWriter writer)
{
    private static readonly TimeSpan UnknownTotalInterval = TimeSpan.FromSeconds(5);
    private readonly long _started = Stopwatch.GetTimestamp();
    private int _lastTenth;
    private long _lastLine = Stopwatch.GetTimestamp();

    public void Report(string description, double value, double total)
    {
        if (total > 0)
        {
            int tenth = (int)Math.Floor(value / total * 10);
            if (tenth <= _lastTenth || tenth >= 10) return;
            _lastTenth = tenth;
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{title}: {description} {tenth * 10}% ({Count(value)}/{Count(total)})"));
            return;
        }
        if (Stopwatch.GetElapsedTime(_lastLine) < UnknownTotalInterval) return;
        _lastLine = Stopwatch.GetTimestamp();
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{title}: {description} {Count(value)}"));
    }

    public void Done(string description, double value, double total)
    {
        double seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        string amount = total > 0 ? $"{Count(value)}/{Count(total)}" : Count(value);
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{title}: {description} ({amount} in {seconds:0.0} s)"));
    }

    private static string Count(double value) =>
        value == Math.Floor(value) ? value.ToString("0", CultureInfo.InvariantCulture) : value.ToString("0.##", CultureInfo.InvariantCulture);
}
