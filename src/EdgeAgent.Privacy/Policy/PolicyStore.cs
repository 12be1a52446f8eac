using System.Globalization;
using System.Security.Cryptography;

using EdgeAgent.Core.Ports;

namespace EdgeAgent.Privacy.Policy;

/// <summary>What became of an offered policy. <see cref="Changed"/> is false for a refusal and for a policy already in force.</summary>
public sealed record PolicyDecision(bool Accepted, bool Changed, SharingPolicy InForce, string Message);

/// <summary>
/// The policy in force on this unit and the only way to change it. A policy is offered (from the
/// Privacy:PolicyFile at start, or on the MQTT policy topic), checked against the authority key, and
/// accepted only when it is signed and newer than the one in force; the accepted document is kept in the
/// state folder so it survives restarts (and is checked again on load). Every acceptance and refusal is
/// audited; an acceptance that cannot be audited does not happen.
/// </summary>
public sealed class PolicyStore
{
    public const string AcceptedFileName = "policy.accepted.json";
    private readonly Lock _gate = new();
    private readonly string _acceptedPath;
    private readonly AuthorityKey? _authority;
    private readonly IAuditLog _audit;
    private readonly Dictionary<string, string> _lastRefused = new(StringComparer.Ordinal);
    private SharingPolicy _current;

    public PolicyStore(string acceptedPath, AuthorityKey? authority, IAuditLog audit)
    {
        _acceptedPath = Path.GetFullPath(acceptedPath);
        _authority = authority;
        _audit = audit;
        _current = SharingPolicy.Default;
        if (File.Exists(_acceptedPath))
        {
            try
            {
                _current = PolicyDocument.Verify(File.ReadAllBytes(_acceptedPath), authority);
            }
            catch (Exception e) when (e is PolicyRefusedException or IOException)
            {
                // The kept copy no longer verifies (altered on disk, or the authority key was replaced): fall
                // back to the default, the narrowest policy, until a valid one is offered again.
                LoadProblem = $"the accepted policy {_acceptedPath} no longer verifies ({e.Message}); the built-in default is in force";
            }
        }
    }

    /// <summary>Why the kept policy could not be used at start, or null.</summary>
    public string? LoadProblem { get; }

    public SharingPolicy Current
    {
        get { lock (_gate) return _current; }
    }

    /// <summary>Raised after a new policy is in force (on the offering thread).</summary>
    public event Action<SharingPolicy>? Changed;

    /// <param name="source">Where the document came from, for the audit log ("file /etc/…", "mqtt anpr/v1/…/policy").</param>
    public PolicyDecision Offer(ReadOnlySpan<byte> document, string source)
    {
        string digest = Convert.ToHexStringLower(SHA256.HashData(document))[..16];
        SharingPolicy offered;
        PolicyDecision decision;
        lock (_gate)
        {
            try
            {
                offered = PolicyDocument.Verify(document, _authority);
            }
            catch (PolicyRefusedException e)
            {
                return Refuse(source, digest, e.Message);
            }
            if (offered.Version < _current.Version)
                return Refuse(source, digest, $"its version {offered.Version} is older than the policy in force (version {_current.Version}): a policy cannot be rolled back");
            if (offered.Version == _current.Version)
            {
                return offered.Digest == _current.Digest
                    ? new PolicyDecision(true, false, _current, $"policy version {offered.Version} is already in force")
                    : Refuse(source, digest, $"version {offered.Version} is already in force with other content: a new policy needs a higher version");
            }

            string temporary = _acceptedPath + ".tmp-" + Environment.ProcessId;
            Directory.CreateDirectory(Path.GetDirectoryName(_acceptedPath)!);
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
            {
                stream.Write(document);
                stream.Flush(flushToDisk: true);
            }
            try
            {
                _audit.Append(AuditKinds.PolicyAccepted, new Dictionary<string, string>
                {
                    ["version"] = offered.Version.ToString(CultureInfo.InvariantCulture),
                    ["previous_version"] = _current.Version.ToString(CultureInfo.InvariantCulture),
                    ["digest"] = offered.Digest,
                    ["source"] = source,
                    ["authority_key"] = _authority!.KeyId,
                    ["recipients"] = Describe(offered),
                });
            }
            catch
            {
                File.Delete(temporary);
                throw;
            }
            File.Move(temporary, _acceptedPath, overwrite: true);
            _current = offered;
            _lastRefused.Remove(source);
            decision = new PolicyDecision(true, true, offered, $"policy version {offered.Version} accepted from {source}: {Describe(offered)}");
        }
        Changed?.Invoke(offered);
        return decision;
    }

    /// <summary>"charging[plate_hash,…] police[…;evidence]": recipients, their fields, and who may ask for evidence.</summary>
    public static string Describe(SharingPolicy policy) =>
        string.Join(' ', policy.Recipients.Select(r =>
            $"{r.Name}[{string.Join(',', r.Fields.Order(StringComparer.Ordinal))}{(r.Evidence ? ";evidence" : "")}]"));

    private PolicyDecision Refuse(string source, string digest, string reason)
    {
        // The same document offered again (a retained message after a reconnect, a file checked at each
        // start) is refused again without a new audit entry each time.
        if (!_lastRefused.TryGetValue(source, out string? last) || last != digest)
        {
            _audit.Append(AuditKinds.PolicyRefused, new Dictionary<string, string>
            {
                ["source"] = source,
                ["digest"] = digest,
                ["reason"] = reason,
                ["version_in_force"] = _current.Version.ToString(CultureInfo.InvariantCulture),
            });
            _lastRefused[source] = digest;
        }
        return new PolicyDecision(false, false, _current, $"policy from {source} refused: {reason}; policy version {_current.Version} stays in force");
    }
}
