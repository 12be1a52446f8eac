using System.Text.Json;

using EdgeAgent.Core.Plates;
using EdgeAgent.Evaluation.Photos;

namespace EdgeAgent.Evaluation.Tests;

public class PhotoReportTests
{
    private static PhotoOutcome Outcome(string country, string plate, string? read, bool found, double ms, string? error = null) =>
        new(new LabelledPhoto($"{country}/{plate}.jpg", plate, new BoxI(0, 0, 10, 5), country, 2), found,
            read is not null && read == plate, Scoring.TextScore.CharAccuracy(read, plate), ms, ms / 2, found ? 0.8f : 0, read, 0.9f, 1, 1, error);

    [Fact]
    public void Report_AggregatesOverallAndPerCountry()
    {
        var report = new PhotoReport(
        [
            Outcome("SK", "RK755AJ", "RK755AJ", true, 10),
            Outcome("SK", "RK115AN", "RK115AM", true, 30),
            Outcome("US", "7ABC123", null, false, 20),
            Outcome("US", "ABC1234", "ABC1234", true, 40),
        ]);
        Assert.Equal(4, report.Overall.Images);
        Assert.Equal(0.75, report.Overall.Found, 6);
        Assert.Equal(0.5, report.Overall.Exact, 6);
        Assert.Equal((1 + (6 / 7.0) + 0 + 1) / 4, report.Overall.CharAccuracy, 6);
        Assert.Equal(25, report.Overall.MsPerImage, 6);   // median of 10, 20, 30, 40
        Assert.Equal(12.5, report.Overall.CpuMsPerImage, 6);
        Assert.Equal(["SK", "US"], report.ByCountry.Keys);
        Assert.Equal(0.5, report.ByCountry["SK"].Exact, 6);
        Assert.Equal(0.5, report.ByCountry["US"].Found, 6);
        Assert.Equal("exact=0.500 found=0.750 images=4 ms_per_image=25.0", report.SummaryLine);
        Assert.Equal("-1 x1, -2 x1, -3 x1, -7 x1, -A x1, -B x1, -C x1, N>M x1", report.Confusions.Summary(8));
    }

    [Fact]
    public void Report_FailedPhotos_CountAsNotFound_AndStayOutOfTheTiming()
    {
        var report = new PhotoReport([Outcome("GB", "AB12CDE", "AB12CDE", true, 12), Outcome("GB", "CD34EFG", null, false, 0, "corrupt")]);
        Assert.Equal(0.5, report.Overall.Found, 6);
        Assert.Equal(12, report.Overall.MsPerImage, 6);
        Assert.Equal("corrupt", Assert.Single(report.Failures).Error);
    }

    [Fact]
    public void WriteJson_HasTheFiguresByCountryAndPerImage()
    {
        var report = new PhotoReport([Outcome("SK", "RK755AJ", "RK755AJ", true, 10), Outcome("US", "7ABC123", "7ABC128", true, 20)]);
        using var stream = new MemoryStream();
        report.WriteJson(stream);
        using JsonDocument json = JsonDocument.Parse(stream.ToArray());
        JsonElement root = json.RootElement;
        Assert.Equal(2, root.GetProperty("images").GetInt32());
        Assert.Equal(1.0, root.GetProperty("found").GetDouble());
        Assert.Equal(0.5, root.GetProperty("exact").GetDouble());
        Assert.Equal(15, root.GetProperty("ms_per_image").GetDouble());
        Assert.Equal(1.0, root.GetProperty("by_country").GetProperty("SK").GetProperty("exact").GetDouble());
        Assert.True(root.GetProperty("char_accuracy").GetDouble() > 0.9);
        Assert.Equal(2, root.GetProperty("per_image").GetArrayLength());
        Assert.Equal("3", root.GetProperty("confusions")[0].GetProperty("expected").GetString());
    }

    [Fact]
    public void Median_OddAndEvenCounts()
    {
        Assert.Equal(2, AccuracyFigures.Median([1, 2, 9]));
        Assert.Equal(5, AccuracyFigures.Median([1, 2, 8, 9]));
        Assert.Equal(0, AccuracyFigures.Median([]));
    }
}
