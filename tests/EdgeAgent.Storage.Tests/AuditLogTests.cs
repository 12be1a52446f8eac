using System.Text;

using EdgeAgent.Core.Ports;
using EdgeAgent.Storage.Audit;
using EdgeAgent.TestSupport;

namespace EdgeAgent.Storage.Tests;

public class AuditLogTests
{
    private static Dictionary<string, string> Details(int n) => new() { ["n"] = n.ToString(System.Globalization.CultureInfo.InvariantCulture), ["why"] = "test" };

    private static (TempDirectory Dir, string Path) LogWith(int entries)
    {
        var dir = new TempDirectory();
        string path = dir.File("audit.jsonl");
        var log = new AuditLogFile(path);
        for (int i = 1; i <= entries; i++) log.Append(AuditKinds.RetentionPurged, Details(i));
        return (dir, path);
    }

    private static List<string> Lines(string path) => [.. File.ReadAllLines(path)];

    [Fact]
    public void Append_SeveralEntries_ChainVerifiesAndHeadIsTheLast()
    {
        var (dir, path) = LogWith(5);
        using (dir)
        {
            AuditVerification check = AuditVerifier.Verify(path);
            Assert.True(check.Ok, check.ToString());
            Assert.Equal(5, check.Entries);
            var reopened = new AuditLogFile(path);
            Assert.Equal(check.Head.Hash, reopened.Head.Hash);
            Assert.Equal(5, reopened.Head.Seq);
            AuditEntry sixth = reopened.Append(AuditKinds.KeyRotated, new Dictionary<string, string> { ["old"] = "a", ["new"] = "b" });
            Assert.Equal(6, sixth.Seq);
            Assert.Equal(check.Head.Hash, sixth.PreviousHash);
            Assert.True(AuditVerifier.Verify(path).Ok);
        }
    }

    [Fact]
    public void Append_NewFile_IsOwnerOnlyAndStartsFromGenesis()
    {
        using var dir = new TempDirectory();
        var log = new AuditLogFile(dir.File("sub/audit.jsonl"));
        AuditEntry first = log.Append(AuditKinds.PolicyAccepted, Details(1));
        Assert.Equal(1, first.Seq);
        Assert.Equal(AuditHead.GenesisHash, first.PreviousHash);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(log.Path));
    }

    [Fact]
    public void Verify_EditedEntry_NamesThatEntryAndFails()
    {
        var (dir, path) = LogWith(6);
        using (dir)
        {
            var lines = Lines(path);
            lines[3] = lines[3].Replace("\"n\":\"4\"", "\"n\":\"40\"", StringComparison.Ordinal);
            File.WriteAllLines(path, lines);
            AuditVerification check = AuditVerifier.Verify(path);
            Assert.False(check.Ok);
            Assert.Equal(4, check.BadSeq);
            Assert.Equal(4, check.BadLine);
            Assert.Contains("edited", check.Problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Verify_DeletedEntry_NamesTheGapAndFails()
    {
        var (dir, path) = LogWith(6);
        using (dir)
        {
            var lines = Lines(path);
            lines.RemoveAt(2);   // entry #3
            File.WriteAllLines(path, lines);
            AuditVerification check = AuditVerifier.Verify(path);
            Assert.False(check.Ok);
            Assert.Equal(3, check.BadLine);
            Assert.Contains("removed", check.Problem, StringComparison.Ordinal);
            Assert.Equal(2, check.Entries);
        }
    }

    [Fact]
    public void Verify_ReorderedEntries_NamesTheFirstOutOfPlaceAndFails()
    {
        var (dir, path) = LogWith(6);
        using (dir)
        {
            var lines = Lines(path);
            (lines[3], lines[4]) = (lines[4], lines[3]);
            File.WriteAllLines(path, lines);
            AuditVerification check = AuditVerifier.Verify(path);
            Assert.False(check.Ok);
            Assert.Equal(4, check.BadLine);
            Assert.Equal(5, check.BadSeq);
            Assert.Contains("reordered", check.Problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Verify_EntryEditedAndRehashed_NamesThatEntryThroughTheNextLink()
    {
        var (dir, path) = LogWith(6);
        using (dir)
        {
            var lines = Lines(path);
            AuditEntry original = AuditChain.Decode(Encoding.UTF8.GetBytes(lines[2]));
            var forged = new Dictionary<string, string>(original.Details) { ["n"] = "300" };
            string hash = AuditChain.ComputeHash(original.Seq, original.Time, original.Kind, forged, original.PreviousHash);
            lines[2] = Encoding.UTF8.GetString(AuditChain.Encode(original with { Details = forged, Hash = hash })).TrimEnd('\n');
            File.WriteAllLines(path, lines);
            AuditVerification check = AuditVerifier.Verify(path);
            Assert.False(check.Ok);
            Assert.Equal(3, check.BadSeq);
            Assert.Equal(3, check.BadLine);
            Assert.Contains("replaced", check.Problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Verify_EntriesCutFromTheEnd_FailsAgainstThePublishedHead()
    {
        var (dir, path) = LogWith(5);
        using (dir)
        {
            string published = new AuditLogFile(path).Head.Hash;
            Assert.True(AuditVerifier.Verify(path, published).Ok);
            File.WriteAllLines(path, Lines(path).Take(3));
            Assert.True(AuditVerifier.Verify(path).Ok, "a shortened chain is still a chain");
            AuditVerification check = AuditVerifier.Verify(path, published);
            Assert.False(check.Ok);
            Assert.Contains("published head", check.Problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Append_AfterALineCutOffByACrash_TrimsItRecordsTheRecoveryAndStaysIntact()
    {
        var (dir, path) = LogWith(3);
        using (dir)
        {
            File.AppendAllText(path, "{\"seq\":4,\"time\":\"2026-01-");   // a torn write
            Assert.False(AuditVerifier.Verify(path).Ok);
            var log = new AuditLogFile(path);
            AuditEntry next = log.Append(AuditKinds.KeyRotated, Details(9));
            var entries = AuditVerifier.ReadAll(path);
            Assert.Equal([1L, 2, 3, 4, 5], entries.Select(e => e.Seq));
            Assert.Equal(AuditKinds.AuditRecovered, entries[3].Kind);
            Assert.Equal(next.Hash, entries[4].Hash);
        }
    }

    [Fact]
    public async Task Append_FromTwoWritersAtOnce_OneUnbrokenChain()
    {
        using var dir = new TempDirectory();
        string path = dir.File("audit.jsonl");
        // Two instances stand for two processes: each append takes the file's exclusive lock.
        var a = new AuditLogFile(path);
        var b = new AuditLogFile(path);
        await Task.WhenAll(
            Task.Run(() => { for (int i = 0; i < 40; i++) a.Append(AuditKinds.EvidenceDisclosed, Details(i)); }),
            Task.Run(() => { for (int i = 0; i < 40; i++) b.Append(AuditKinds.RetentionPurged, Details(i)); }));
        AuditVerification check = AuditVerifier.Verify(path);
        Assert.True(check.Ok, check.ToString());
        Assert.Equal(80, check.Entries);
    }

    [Fact]
    public void Append_LastLineUnreadable_RefusesWithTheFix()
    {
        var (dir, path) = LogWith(2);
        using (dir)
        {
            File.AppendAllText(path, "garbage\n");
            var e = Assert.Throws<InvalidDataException>(() => new AuditLogFile(path).Append(AuditKinds.KeyRotated, Details(1)));
            Assert.Contains("audit verify", e.Message, StringComparison.Ordinal);
        }
    }
}
