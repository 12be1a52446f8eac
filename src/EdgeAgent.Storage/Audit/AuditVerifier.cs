using EdgeAgent.Core.Ports;

namespace EdgeAgent.Storage.Audit;

/// <summary>The outcome of recomputing a chain: how far it holds and, when it breaks, the first bad entry and why.</summary>
public sealed record AuditVerification(long Entries, AuditHead Head, long? BadLine, long? BadSeq, string? Problem)
{
    public bool Ok => Problem is null;

    public override string ToString() =>
        Ok ? $"audit chain intact: {Entries} entries, head #{Head.Seq} {Head.Hash}"
           : $"audit chain broken at line {BadLine}{(BadSeq is { } s ? $" (entry #{s})" : "")}: {Problem}";
}

/// <summary>
/// Recomputes an audit chain from its file and names the first entry that does not fit: edited (its hash
/// does not match its content), removed, inserted or reordered (its sequence number or its link to the
/// entry before does not match), or cut off. Reads line by line: the file may be large.
/// </summary>
public static class AuditVerifier
{
    /// <param name="expectedHead">A hash published earlier (e.g. from the retained audit topic): the chain
    /// must contain it, or entries were cut from the end or the chain was rewritten.</param>
    public static AuditVerification Verify(string path, string? expectedHead = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"audit log {path} does not exist", path);
        using FileStream stream = AuditLogFile.OpenLocked(path, write: false);
        return Verify(stream, expectedHead);
    }

    public static AuditVerification Verify(Stream stream, string? expectedHead = null)
    {
        AuditHead head = AuditHead.Empty, previous = AuditHead.Empty;
        long line = 0;
        bool sawExpected = expectedHead is null;
        foreach (var (bytes, complete) in Lines(stream))
        {
            line++;
            if (!complete)
                return Broken(line, null, head, "the last line is incomplete: a write was cut off (the agent repairs this at its next append) or the file was truncated");
            AuditEntry entry;
            try
            {
                entry = AuditChain.Decode(bytes);
            }
            catch (FormatException e)
            {
                return Broken(line, null, head, $"not an audit entry: {e.Message}");
            }
            if (AuditChain.Recompute(entry) != entry.Hash)
                return Broken(line, entry.Seq, head, "its content does not match its hash: the entry was edited");
            if (entry.Seq != head.Seq + 1)
                return Broken(line, entry.Seq, head,
                    $"sequence number {entry.Seq} where {head.Seq + 1} was expected: an entry was removed, inserted or reordered here");
            if (!string.Equals(entry.PreviousHash, head.Hash, StringComparison.Ordinal))
            {
                if (head.Seq == 0)
                    return Broken(line, entry.Seq, head, "the first entry does not start from the genesis hash (64 zeros): the start of the chain was removed");
                // Each entry is self-consistent, so the one before was rewritten with a fresh hash: that one is bad.
                return Broken(line - 1, head.Seq, previous,
                    $"it hashes to {Short(head.Hash)} but the entry after it recorded {Short(entry.PreviousHash)}: it was replaced (edited and re-hashed)");
            }
            previous = head;
            head = new AuditHead(entry.Seq, entry.Hash, entry.Time);
            if (!sawExpected && string.Equals(entry.Hash, expectedHead, StringComparison.OrdinalIgnoreCase)) sawExpected = true;
        }
        if (!sawExpected)
            return Broken(line + 1, null, head,
                $"the chain does not contain the published head {expectedHead}: entries were removed from the end or the chain was rewritten");
        return new AuditVerification(head.Seq, head, null, null, null);
    }

    /// <summary>Every entry of a log that verifies; throws with the verification's message otherwise.</summary>
    public static IReadOnlyList<AuditEntry> ReadAll(string path)
    {
        var entries = new List<AuditEntry>();
        if (!File.Exists(path)) return entries;
        AuditVerification check = Verify(path);
        if (!check.Ok) throw new InvalidDataException($"{path}: {check}");
        using FileStream stream = AuditLogFile.OpenLocked(path, write: false);
        foreach (var (bytes, _) in Lines(stream)) entries.Add(AuditChain.Decode(bytes));
        return entries;
    }

    private static AuditVerification Broken(long line, long? seq, AuditHead goodHead, string problem) =>
        new(goodHead.Seq, goodHead, line, seq, problem);

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] + "…" : hash;

    // Lines without their '\n'; the last one is flagged incomplete when the file does not end with a newline.
    private static IEnumerable<(byte[] Bytes, bool Complete)> Lines(Stream stream)
    {
        var current = new List<byte>(512);
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (int i = 0; i < read; i++)
            {
                if (buffer[i] == (byte)'\n')
                {
                    yield return (current.ToArray(), true);
                    current.Clear();
                }
                else
                {
                    current.Add(buffer[i]);
                }
            }
        }
        if (current.Count > 0) yield return (current.ToArray(), false);
    }
}
