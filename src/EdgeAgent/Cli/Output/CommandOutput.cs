using Spectre.Console;
using Spectre.Console.Rendering;

namespace EdgeAgent.Cli.Output;

/// <summary>
/// Output of the long commands (replay, eval, doctor, bench): progress bars and a summary table on a
/// terminal, plain lines when the output is piped or logged, so scripts and CI logs stay greppable.
/// One instance per command; call it from one thread (progress items may be updated from any thread).
/// </summary>
/// <example>
/// <code>
/// var output = CommandOutput.ForConsole();
/// int exit = await output.ProgressAsync("eval", async progress =>
/// {
///     ProgressItem images = progress.Add("images", total: files.Count);
///     foreach (var f in files) { Evaluate(f); images.Increment(); }
///     return 0;
/// });
/// output.Summary("accuracy", [("images", "165"), ("exact", "87.3%")]);
/// output.Line("exact=0.873 found=0.96 images=165 ms_per_image=21");   // last line for machines
/// </code>
/// </example>
public sealed class CommandOutput
{
    private readonly IAnsiConsole? _console;

    /// <param name="writer">Where everything goes.</param>
    /// <param name="terminal">True draws progress bars and tables with colour (a person is watching); false
    /// writes plain lines.</param>
    public CommandOutput(TextWriter writer, bool terminal)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Writer = writer;
        IsTerminal = terminal;
        if (terminal)
        {
            _console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.Detect,
                ColorSystem = ColorSystemSupport.Detect,
                Interactive = InteractionSupport.Yes,
                Out = new AnsiConsoleOutput(writer),
            });
        }
    }

    /// <summary>Standard output; a terminal unless it is redirected, TERM is "dumb" or EDGEAGENT_PLAIN is set.</summary>
    public static CommandOutput ForConsole() => new(Console.Out, IsInteractiveTerminal());

    /// <summary>Standard error, for commands whose standard output is data (e.g. JSON on stdout).</summary>
    public static CommandOutput ForStandardError() =>
        new(Console.Error, !Console.IsErrorRedirected && IsInteractiveEnvironment());

    public TextWriter Writer { get; }
    public bool IsTerminal { get; }

    /// <summary>Plain text, written as is in both modes (never parsed as markup).</summary>
    public void Line(string text)
    {
        if (_console is null) Writer.WriteLine(text);
        else _console.WriteLine(text);
    }

    /// <summary>A line that starts with a pass/fail mark: green/red on a terminal, "PASS"/"FAIL" in plain text.</summary>
    public void Mark(bool ok, string text)
    {
        if (_console is null)
        {
            Writer.WriteLine((ok ? "PASS " : "FAIL ") + text);
            return;
        }
        _console.MarkupLine((ok ? "[green]PASS[/] " : "[red bold]FAIL[/] ") + Markup.Escape(text));
    }

    /// <summary>Runs work while showing its progress items: live bars on a terminal, a line per 10% otherwise.</summary>
    public async Task<T> ProgressAsync<T>(string title, Func<CommandProgress, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (_console is null)
            return await work(new CommandProgress(title, Writer, null)).ConfigureAwait(false);

        return await _console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new CountColumn(),
                new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(ctx => work(new CommandProgress(title, Writer, ctx)))
            .ConfigureAwait(false);
    }

    /// <summary>A two-column summary (name, value).</summary>
    public void Summary(string title, IEnumerable<(string Name, string Value)> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        Table(title, ["", ""], rows.Select(r => (IReadOnlyList<string>)[r.Name, r.Value]), showHeaders: false);
    }

    /// <summary>A table: boxed on a terminal, space-aligned columns (headers first) in plain text.</summary>
    public void Table(string title, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, bool showHeaders = true)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        List<IReadOnlyList<string>> all = [.. rows];
        if (_console is null)
        {
            WritePlainTable(title, headers, all, showHeaders);
            return;
        }
        var table = new Table { Title = new TableTitle(Markup.Escape(title)), Border = TableBorder.Rounded, ShowHeaders = showHeaders };
        foreach (string header in headers) table.AddColumn(new TableColumn(Markup.Escape(header)));
        foreach (IReadOnlyList<string> row in all)
            table.AddRow(row.Select(cell => (IRenderable)new Text(cell)).ToArray());
        _console.Write(table);
    }

    private void WritePlainTable(string title, IReadOnlyList<string> headers, List<IReadOnlyList<string>> rows, bool showHeaders)
    {
        int columns = headers.Count;
        var widths = new int[columns];
        IEnumerable<IReadOnlyList<string>> measured = showHeaders ? rows.Prepend(headers) : rows;
        foreach (IReadOnlyList<string> row in measured)
            for (int c = 0; c < columns && c < row.Count; c++) widths[c] = Math.Max(widths[c], row[c].Length);
        if (title.Length > 0) Writer.WriteLine(title + ":");
        if (showHeaders) Writer.WriteLine(FormatRow(headers, widths));
        foreach (IReadOnlyList<string> row in rows) Writer.WriteLine(FormatRow(row, widths));
    }

    private static string FormatRow(IReadOnlyList<string> row, int[] widths)
    {
        var cells = new string[widths.Length];
        for (int c = 0; c < widths.Length; c++)
        {
            string cell = c < row.Count ? row[c] : "";
            cells[c] = c == widths.Length - 1 ? cell : cell.PadRight(widths[c]);
        }
        return ("  " + string.Join("  ", cells)).TrimEnd();
    }

    private static bool IsInteractiveTerminal() => !Console.IsOutputRedirected && IsInteractiveEnvironment();

    private static bool IsInteractiveEnvironment() =>
        Environment.GetEnvironmentVariable("TERM") is not "dumb"
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("EDGEAGENT_PLAIN"));
}

/// <summary>"370/1000" beside the bar (Spectre's own columns show bytes or a percentage only).</summary>
internal sealed class CountColumn : ProgressColumn
{
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
    {
        ArgumentNullException.ThrowIfNull(task);
        string text = task.IsIndeterminate
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{task.Value:0}")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{task.Value:0}/{task.MaxValue:0}");
        return new Text(text, new Style(Color.Grey));
    }
}
