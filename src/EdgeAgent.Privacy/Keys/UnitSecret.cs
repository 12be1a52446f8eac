using System.Security.Cryptography;
using System.Text;

using EdgeAgent.Core.Configuration;

namespace EdgeAgent.Privacy.Keys;

/// <summary>
/// The unit's secret: 32 random bytes in a file only its owner may read (mode 0600). Every daily plate
/// key derives from it; whoever holds it can link plates across days, so the agent refuses to start when
/// the file is readable by anyone else.
/// </summary>
public sealed class UnitSecret
{
    public const int Length = 32;
    private const string Header = "edgeagent-unit-secret/1";
    private readonly byte[] _secret;

    private UnitSecret(byte[] secret, string path)
    {
        _secret = secret;
        Path = path;
        KeyId = ComputeKeyId(secret);
    }

    public string Path { get; }

    /// <summary>A public name for the secret (8 hex digits): safe to send, says which secret made a hash.</summary>
    public string KeyId { get; }

    internal ReadOnlySpan<byte> Bytes => _secret;

    /// <summary>Loads and checks a key file; throws with the fix when it is missing, open to others or malformed.</summary>
    public static UnitSecret Load(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new ConfigurationProblemException("Privacy:KeyFile", $"key file {full} does not exist: create it with `edgeagent keys init --key {full}`");
        UnixFileMode mode = File.GetUnixFileMode(full);
        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                                    UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        if ((mode & others) != 0)
            throw new ConfigurationProblemException("Privacy:KeyFile",
                $"key file {full} is open to other users (mode {Octal(mode)}); the unit secret must be owner-only: run `chmod 600 {full}`");
        string[] lines = File.ReadAllLines(full);
        byte[]? secret = null;
        if (lines.Length >= 2 && lines[0].Trim() == Header)
        {
            try
            {
                secret = Convert.FromBase64String(lines[1].Trim());
            }
            catch (FormatException)
            {
                secret = null;
            }
        }
        if (secret is not { Length: Length })
            throw new ConfigurationProblemException("Privacy:KeyFile",
                $"key file {full} is not an EdgeAgent unit secret (expected '{Header}' and 32 bytes in base64); make a new one with `edgeagent keys init --key {full} --force`");
        return new UnitSecret(secret, full);
    }

    /// <summary>Makes a new random secret in <paramref name="path"/> with mode 0600. Refuses to replace one unless told.</summary>
    public static UnitSecret Create(string path, bool overwrite = false)
    {
        string full = System.IO.Path.GetFullPath(path);
        if (File.Exists(full) && !overwrite)
            throw new ConfigurationProblemException("Privacy:KeyFile",
                $"key file {full} already exists; replacing it makes every earlier hash unmatchable. Use --force if that is intended (or `keys rotate`).");
        return Replace(full, beforeReplace: null);
    }

    /// <summary>
    /// Replaces the secret in <paramref name="path"/> with a new random one. <paramref name="beforeReplace"/>
    /// (old key id, new key id) runs once the new secret is safely written and before it takes the old one's
    /// place: the rotation is audited there, and if that throws the old secret stays. Hashes made from now on
    /// carry the new key id; the backend's key holder needs the new secret to match them.
    /// </summary>
    public static UnitSecret Rotate(string path, Action<string, string> beforeReplace)
    {
        ArgumentNullException.ThrowIfNull(beforeReplace);
        UnitSecret old = Load(path);
        return Replace(old.Path, (newId) => beforeReplace(old.KeyId, newId));
    }

    private static UnitSecret Replace(string full, Action<string>? beforeReplace)
    {
        string? folder = System.IO.Path.GetDirectoryName(full);
        if (folder is not null) Directory.CreateDirectory(folder);
        byte[] secret = RandomNumberGenerator.GetBytes(Length);
        // Written beside the target with owner-only mode from creation, then moved over: no moment exists
        // in which the secret sits in a file others could read, and a crash leaves the old file whole.
        string temporary = full + ".tmp-" + Environment.ProcessId;
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(Encoding.ASCII.GetBytes($"{Header}\n{Convert.ToBase64String(secret)}\n"));
            stream.Flush(flushToDisk: true);
        }
        var created = new UnitSecret(secret, full);
        try
        {
            beforeReplace?.Invoke(created.KeyId);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        File.Move(temporary, full, overwrite: true);
        return created;
    }

    private static string ComputeKeyId(byte[] secret)
    {
        Span<byte> digest = stackalloc byte[32];
        HMACSHA256.HashData(secret, "edgeagent/key-id/v1"u8, digest);
        return Convert.ToHexStringLower(digest[..4]);
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');
}
