using System.Globalization;

using EdgeAgent.Core.Ports;

namespace EdgeAgent.Storage.Audit;

/// <summary>
/// The audit log as an append-only file of chained JSON lines (<see cref="AuditChain"/>), kept beside the
/// outbox unless configured elsewhere. Every append opens the file with an exclusive lock, reads the last
/// entry, writes the next and fsyncs before returning, so the agent and a CLI command (keys rotate) can
/// both append to one chain. A line cut off by a crash was never acknowledged: the next append trims it
/// and records that it did (<see cref="AuditKinds.AuditRecovered"/>).
/// </summary>
public sealed class AuditLogFile : IAuditLog
{
    public const string DefaultFileName = "audit.jsonl";
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private AuditHead _head;
    private long _knownLength = -1;

    public AuditLogFile(string path, TimeProvider? time = null)
    {
        Path = System.IO.Path.GetFullPath(path);
        _time = time ?? TimeProvider.System;
        string? folder = System.IO.Path.GetDirectoryName(Path);
        try
        {
            if (folder is not null) Directory.CreateDirectory(folder);
            using FileStream stream = OpenLocked(Path, write: true);
            _head = ReadTail(stream).Head;
        }
        catch (InvalidDataException e)
        {
            // A damaged log does not stop the agent from reading plates; every append fails (closed) with the
            // fix until it is dealt with, so nothing that needs auditing (a disclosure, a policy) can happen.
            _head = AuditHead.Empty;
            Damage = e.Message;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"the audit log {Path} could not be opened: {e.Message}. Check Privacy:AuditPath (or Storage:Path, beside which it lives), the folder's permissions and free disk space.", e);
        }
    }

    public string Path { get; }

    /// <summary>Why the log could not be continued when it was opened, or null.</summary>
    public string? Damage { get; }

    /// <summary>The newest entry, re-read when another process (a CLI command) has appended since.</summary>
    public AuditHead Head
    {
        get
        {
            lock (_gate)
            {
                try
                {
                    if (Damage is null && new FileInfo(Path).Length != _knownLength)
                    {
                        using FileStream stream = OpenLocked(Path, write: false);
                        _head = ReadTail(stream).Head;
                    }
                }
                catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
                {
                    // Keep the last head known; the next append reports what is wrong.
                }
                return _head;
            }
        }
    }

    /// <summary>Where the log lives when only the outbox is configured: <c>audit.jsonl</c> in the outbox's folder.</summary>
    public static string PathBeside(string outboxPath) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(outboxPath))!, DefaultFileName);

    public AuditEntry Append(string kind, IReadOnlyDictionary<string, string> details)
    {
        lock (_gate)
        {
            using FileStream stream = OpenLocked(Path, write: true);
            var (head, validLength) = ReadTail(stream);
            if (validLength < stream.Length)
            {
                long dropped = stream.Length - validLength;
                stream.SetLength(validLength);
                head = Write(stream, AuditChain.Next(head, _time.GetUtcNow(), AuditKinds.AuditRecovered, new Dictionary<string, string>
                {
                    ["bytes_dropped"] = dropped.ToString(CultureInfo.InvariantCulture),
                    ["reason"] = "the last line was cut off by a crash or power cut before it was complete",
                }));
            }
            AuditEntry entry = AuditChain.Next(head, _time.GetUtcNow(), kind, details);
            Write(stream, entry);
            return entry;
        }
    }

    private AuditHead Write(FileStream stream, AuditEntry entry)
    {
        byte[] line = AuditChain.Encode(entry);
        stream.Seek(0, SeekOrigin.End);
        stream.Write(line);
        stream.Flush(flushToDisk: true);
        _knownLength = stream.Length;
        _head = new AuditHead(entry.Seq, entry.Hash, entry.Time);
        return _head;
    }

    /// <summary>
    /// Opens with an exclusive (write) or shared (read) flock, waiting while another process appends. .NET
    /// takes the flock from FileShare: None is exclusive, ReadWrite shared.
    /// </summary>
    internal static FileStream OpenLocked(string path, bool write)
    {
        var options = new FileStreamOptions
        {
            Mode = write ? FileMode.OpenOrCreate : FileMode.Open,
            Access = write ? FileAccess.ReadWrite : FileAccess.Read,
            Share = write ? FileShare.None : FileShare.ReadWrite,
        };
        if (write) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        DateTime deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, options);
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);  // another process holds the lock for one append: milliseconds
            }
        }
    }

    /// <summary>The last complete entry, and the length up to the end of it (shorter than the file after a torn write).</summary>
    private (AuditHead Head, long ValidLength) ReadTail(FileStream stream)
    {
        long length = stream.Length;
        _knownLength = length;
        if (length == 0) return (AuditHead.Empty, 0);
        int window = (int)Math.Min(length, 2L * AuditChain.MaxLineBytes + 2);
        var tail = new byte[window];
        stream.Seek(length - window, SeekOrigin.Begin);
        stream.ReadExactly(tail);

        int end = tail.AsSpan().LastIndexOf((byte)'\n');
        if (end < 0)
        {
            if (window == length) return (AuditHead.Empty, 0);  // only a torn first line
            throw Corrupt("no complete line in its last " + window + " bytes");
        }
        long validLength = length - window + end + 1;
        int start = tail.AsSpan(0, end).LastIndexOf((byte)'\n') + 1;
        if (start == 0 && window < length) throw Corrupt("its last line is longer than any entry the agent writes");
        try
        {
            AuditEntry last = AuditChain.Decode(tail.AsSpan(start, end - start));
            return (new AuditHead(last.Seq, last.Hash, last.Time), validLength);
        }
        catch (FormatException e)
        {
            throw Corrupt($"its last entry is unreadable ({e.Message})");
        }
    }

    private InvalidDataException Corrupt(string what) =>
        new($"the audit log {Path} cannot be continued: {what}. Run `edgeagent audit verify --path {Path}` to find the damage; " +
            "keep the damaged file as evidence and start a new log with Privacy:AuditPath.");
}
