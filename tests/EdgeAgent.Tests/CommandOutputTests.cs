using EdgeAgent.Cli.Output;

namespace EdgeAgent.Tests;

public class CommandOutputTests
{
    [Fact]
    public async Task Progress_Plain_WritesALinePerTenthAndOneAtTheEnd()
    {
        var writer = new StringWriter();
        var output = new CommandOutput(writer, terminal: false);
        int result = await output.ProgressAsync("replay", progress =>
        {
            ProgressItem frames = progress.Add("frames", total: 200);
            for (int i = 0; i < 200; i++) frames.Increment();
            frames.Complete("done");
            return Task.FromResult(7);
        });

        Assert.Equal(7, result);
        string[] lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(10, lines.Length);  // 10% .. 90%, then the end
        Assert.Equal("replay: frames 10% (20/200)", lines[0]);
        Assert.Equal("replay: frames 90% (180/200)", lines[8]);
        Assert.StartsWith("replay: frames: done (200/200 in ", lines[9], StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', writer.ToString());
    }

    [Fact]
    public void Table_Plain_AlignsColumnsWithoutBoxDrawing()
    {
        var writer = new StringWriter();
        var output = new CommandOutput(writer, terminal: false);
        output.Table("by country", ["country", "images", "exact"], [["GB", "40", "92.5%"], ["DE", "7", "100.0%"]]);
        output.Summary("total", [("images", "47"), ("exact rate", "93.6%")]);

        Assert.Equal(
            "by country:\n  country  images  exact\n  GB       40      92.5%\n  DE       7       100.0%\n" +
            "total:\n  images      47\n  exact rate  93.6%\n",
            writer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Mark_Plain_IsPassOrFailInText()
    {
        var writer = new StringWriter();
        var output = new CommandOutput(writer, terminal: false);
        output.Mark(true, "broker  127.0.0.1:1883 reachable");
        output.Mark(false, "disk  3% free");
        Assert.Equal("PASS broker  127.0.0.1:1883 reachable\nFAIL disk  3% free\n", writer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Progress_Terminal_DrawsABarAndATableThatTheTextCannotBreak()
    {
        var writer = new StringWriter();
        var output = new CommandOutput(writer, terminal: true);
        await output.ProgressAsync("eval", async progress =>
        {
            ProgressItem images = progress.Add("images [a] of set", total: 4);
            for (int i = 0; i < 4; i++)
            {
                images.Increment();
                await Task.Delay(10);
            }
            images.Complete();
            return 0;
        });
        // Square brackets are Spectre markup: text from files must be escaped, never interpreted.
        output.Table("result [x]", ["name", "value"], [["exact", "[bold]87%"]]);

        string text = writer.ToString();
        Assert.Contains("images [a] of set", text, StringComparison.Ordinal);
        Assert.Contains("100%", text, StringComparison.Ordinal);
        Assert.Contains("[bold]87%", text, StringComparison.Ordinal);
        Assert.Contains("╭", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_UnknownTotal_CompletesWithTheCount()
    {
        var writer = new StringWriter();
        var output = new CommandOutput(writer, terminal: false);
        await output.ProgressAsync("doctor", progress =>
        {
            ProgressItem wait = progress.Add("camera", total: 0);
            wait.Set(12);
            wait.Complete("12 frames");
            wait.Increment();  // after completion: ignored
            return Task.FromResult(0);
        });
        Assert.StartsWith("doctor: camera: 12 frames (12 in ", writer.ToString(), StringComparison.Ordinal);
    }
}
