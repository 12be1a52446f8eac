using EdgeAgent.Core.Plates;
using EdgeAgent.Evaluation.Photos;
using EdgeAgent.TestSupport;

namespace EdgeAgent.Evaluation.Tests;

public class PhotoIndexTests
{
    private const string Header = "image_file\tplate_text\tx\ty\tw\th\tcountry";

    [Fact]
    public void Parse_DevFormat_ReadsEveryRow()
    {
        var photos = PhotoIndex.Parse(new StringReader($"{Header}\na/1.jpg\tRK755AJ\t10\t20\t120\t28\tsk\nb/2.png\t7ABC123\t1\t2\t3\t4\tUS\n"), "index.tsv");
        Assert.Equal(2, photos.Count);
        Assert.Equal(new LabelledPhoto("a/1.jpg", "RK755AJ", new BoxI(10, 20, 120, 28), "SK", 2), photos[0]);
        Assert.Equal("US", photos[1].Country);
    }

    [Fact]
    public void Parse_ColumnsInAnotherOrder_AreFoundByName()
    {
        var photos = PhotoIndex.Parse(new StringReader("country\tx\ty\tw\th\tplate_text\timage_file\nDE\t1\t2\t3\t4\tM5XSX\tx.jpg\n"), "i.tsv");
        Assert.Equal("x.jpg", photos[0].File);
        Assert.Equal("M5XSX", photos[0].Plate);
    }

    [Theory]
    [InlineData("image_file\tplate_text\tx\ty\tw\th\n", "no 'country' column")]
    [InlineData(Header + "\na.jpg\tAB\t1\t2\tten\t4\tGB\n", "line 2: w 'ten' is not a whole number")]
    [InlineData(Header + "\na.jpg\tAB\t1\t2\t0\t4\tGB\n", "line 2: the box 0x4 is empty")]
    [InlineData(Header + "\na.jpg\tAB\t1\t2\n", "line 2: 4 fields where the header has 7")]
    [InlineData("", "is empty")]
    public void Parse_BadIndex_SaysWhichLineAndWhatIsWrong(string text, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => PhotoIndex.Parse(new StringReader(text), "index.tsv"));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_NamesTheOption()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<FileNotFoundException>(() => PhotoIndex.Load(dir.File("none.tsv")));
        Assert.Contains("--index", e.Message, StringComparison.Ordinal);
    }
}
