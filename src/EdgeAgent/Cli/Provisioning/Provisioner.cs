using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using EdgeAgent.Core.Configuration;
using EdgeAgent.Core.Profiles;
using EdgeAgent.Platform;
using EdgeAgent.Privacy.Keys;
using EdgeAgent.Privacy.Policy;

namespace EdgeAgent.Cli.Provisioning;

/// <summary>
/// Turns an installed agent into this unit: settings, the hardware profile, TLS files, the authority's
/// public key, a signed policy, and the unit secret. Everything is checked before anything is written, so
/// a mistake leaves the unit as it was. A secret that exists (the unit secret, a TLS key, the authority
/// key) is never replaced without --force: replacing the unit secret makes every hash made so far
/// unmatchable, and replacing the authority key changes who may widen the sharing policy.
/// </summary>
public sealed class Provisioner(string profilesFolder, TextWriter output)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupReadable = OwnerOnly | UnixFileMode.GroupRead;
    private const UnixFileMode ConfigFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                                              UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    /// <summary>Checks the request and the files it names; throws one <see cref="ConfigurationProblemException"/> listing every problem.</summary>
    internal ProvisionPlan Plan(ProvisionRequest r)
    {
        var problems = new List<string>();
        if (ProvisionPlan.CheckLevel("--site", r.Site) is { } site) problems.Add(site);
        if (ProvisionPlan.CheckLevel("--camera", r.Camera) is { } camera) problems.Add(camera);
        var (host, port, brokerProblem) = ProvisionPlan.ParseBroker(r.Broker, tls: r.CaFile is not null);
        if (brokerProblem is not null) problems.Add(brokerProblem);

        HardwareProfile? profile = null;
        string profileSource = HardwareProfileLoader.Resolve(r.Profile, profilesFolder);
        try
        {
            profile = HardwareProfileLoader.Load(r.Profile, profilesFolder);
        }
        catch (ConfigurationProblemException e)
        {
            problems.AddRange(e.Problems.Select(p => $"--profile: {p}"));
        }

        CheckTls(r, problems);
        (uint, uint)? owner = ResolveOwner(r, problems);
        var plan = new ProvisionPlan(r, host, port, profile!, profileSource, owner);
        CheckAuthorityAndPolicy(plan, problems);
        CheckExistingSecrets(plan, problems);
        if (problems.Count > 0) throw new ConfigurationProblemException("provision", problems);
        return plan;
    }

    /// <summary>Writes the unit's files (the plan is checked); says what it did, one line each.</summary>
    public void Apply(ProvisionRequest request)
    {
        ProvisionPlan plan = Plan(request);
        EnsureFolder(plan.ConfigDir, ConfigFolder, plan.Owner, secretOwner: false);
        EnsureFolder(plan.DataDir, ConfigFolder, plan.Owner, secretOwner: true);

        WriteFile(plan, plan.ProfileFile, File.ReadAllBytes(plan.ProfileSource), GroupReadable, secret: false);
        Say($"wrote {plan.ProfileFile} (profile {plan.Profile.Name}: {plan.Profile.Width}x{plan.Profile.Height} at {plan.Profile.Fps:0.#} fps" +
            (plan.Profile.Serial.Any ? ", serial inputs: edit their device names here if they differ)" : ")"));

        if (plan.Tls)
        {
            EnsureFolder(plan.TlsDir, ConfigFolder, plan.Owner, secretOwner: false);
            WriteFile(plan, plan.TlsCa, File.ReadAllBytes(request.CaFile!), GroupReadable, secret: false);
            if (request.CertFile is not null)
            {
                WriteFile(plan, plan.TlsCert, File.ReadAllBytes(request.CertFile), GroupReadable, secret: false);
                WriteFile(plan, plan.TlsKey, File.ReadAllBytes(request.KeyFile!), OwnerOnly, secret: true);
            }
            Say($"installed TLS files in {plan.TlsDir} (CA{(request.CertFile is null ? "" : ", client certificate, client key mode 0600")})");
        }

        if (request.AuthorityFile is not null)
        {
            WriteFile(plan, plan.AuthorityKey, File.ReadAllBytes(request.AuthorityFile), GroupReadable, secret: false);
            using AuthorityKey authority = AuthorityKey.Load(plan.AuthorityKey);
            Say($"installed the policy authority's public key {plan.AuthorityKey} (key id {authority.KeyId})");
        }
        if (request.PolicyFile is not null)
        {
            WriteFile(plan, plan.PolicyFile, File.ReadAllBytes(request.PolicyFile), GroupReadable, secret: false);
            Say($"installed the signed sharing policy {plan.PolicyFile} (the agent offers it at start)");
        }

        MakeUnitSecret(plan);
        SettingsFile.Write(plan);
        Say($"wrote {plan.SettingsFile} (site {request.Site}, camera {request.Camera}, broker {plan.Host}:{plan.Port}{(plan.Tls ? " over TLS" : "")}" +
            (request.Source is null ? "" : $", camera source {Doctor.CameraCheck.SafeUri(request.Source)}") + ")");
        Say("next: edgeagent doctor" + (plan.ConfigDir == "/etc/edgeagent" ? "" : $" --config {plan.SettingsFile}") +
            ", then (re)start the service: systemctl restart edgeagent");
    }

    private void MakeUnitSecret(ProvisionPlan plan)
    {
        if (File.Exists(plan.UnitKey) && !plan.Request.Force)
        {
            // Kept as it is; only an open mode is put right, since the agent would refuse to start with it.
            File.SetUnixFileMode(plan.UnitKey, OwnerOnly);
            Own(plan, plan.UnitKey, secret: true);
            Say($"kept the unit secret {plan.UnitKey} (key id {UnitSecret.Load(plan.UnitKey).KeyId}); --force would replace it " +
                "and make every hash made so far unmatchable");
            return;
        }
        bool replaced = File.Exists(plan.UnitKey);
        UnitSecret secret = UnitSecret.Create(plan.UnitKey, overwrite: true);
        Own(plan, plan.UnitKey, secret: true);
        Say($"{(replaced ? "replaced" : "made")} the unit secret {plan.UnitKey} (key id {secret.KeyId}, mode 0600" +
            (plan.Owner is null ? ")" : $", owned by {plan.Request.User ?? "edgeagent"})") +
            "; give the backend's key holder a copy over a secure channel");
    }

    private static void CheckTls(ProvisionRequest r, List<string> problems)
    {
        if (r.CaFile is null && (r.CertFile is not null || r.KeyFile is not null))
            problems.Add("--cert/--key need --ca: a client certificate is only sent over TLS, and TLS needs the broker's CA");
        if ((r.CertFile is null) != (r.KeyFile is null))
            problems.Add("--cert and --key go together (the client certificate and its private key)");
        foreach (var (option, file) in new[] { ("--ca", r.CaFile), ("--cert", r.CertFile), ("--key", r.KeyFile), ("--authority", r.AuthorityFile), ("--policy", r.PolicyFile) })
            if (file is not null && !File.Exists(file)) problems.Add($"{option} {Path.GetFullPath(file)} does not exist");
        if (problems.Count > 0) return;
        if (r.CaFile is not null)
        {
            var authorities = new X509Certificate2Collection();
            try
            {
                authorities.ImportFromPemFile(r.CaFile);
                if (authorities.Count == 0) problems.Add($"--ca {r.CaFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            }
            catch (CryptographicException e)
            {
                problems.Add($"--ca {r.CaFile} is not a PEM certificate: {e.Message}");
            }
            finally
            {
                foreach (X509Certificate2 c in authorities) c.Dispose();
            }
        }
        if (r.CertFile is not null && r.KeyFile is not null)
        {
            try
            {
                // Loads both and checks that the key belongs to the certificate; an encrypted key fails here too.
                using X509Certificate2 pair = X509Certificate2.CreateFromPemFile(r.CertFile, r.KeyFile);
            }
            catch (CryptographicException e)
            {
                problems.Add($"--cert {r.CertFile} and --key {r.KeyFile} are not a matching certificate and unencrypted private key in PEM: {e.Message}");
            }
        }
    }

    private static (uint, uint)? ResolveOwner(ProvisionRequest r, List<string> problems)
    {
        if (r.User is not null)
        {
            if (UnixAccounts.Lookup(r.User) is { } given) return given;
            problems.Add($"--user {r.User} does not exist (install.sh --service creates the user edgeagent)");
            return null;
        }
        return UnixAccounts.Lookup("edgeagent");
    }

    private static void CheckAuthorityAndPolicy(ProvisionPlan plan, List<string> problems)
    {
        ProvisionRequest r = plan.Request;
        string? authorityPath = r.AuthorityFile ?? (File.Exists(plan.AuthorityKey) ? plan.AuthorityKey : null);
        if (r.AuthorityFile is not null && File.Exists(r.AuthorityFile))
        {
            try
            {
                using AuthorityKey key = AuthorityKey.Load(r.AuthorityFile);
                if (key.HasPrivateKey)
                    problems.Add($"--authority {r.AuthorityFile} holds the authority's PRIVATE key: install only its public half (NAME.pub from `edgeagent policy keygen`)");
            }
            catch (PolicyException e)
            {
                problems.Add("--authority: " + e.Message);
            }
        }
        if (r.PolicyFile is null || !File.Exists(r.PolicyFile)) return;
        if (authorityPath is null)
        {
            problems.Add("--policy needs --authority (the authority's public key), or one installed earlier: a policy counts only when signed by it");
            return;
        }
        try
        {
            using AuthorityKey key = AuthorityKey.Load(authorityPath);
            PolicyDocument.Verify(File.ReadAllBytes(r.PolicyFile), key);
        }
        catch (Exception e) when (e is PolicyException or PolicyRefusedException)
        {
            problems.Add($"--policy {r.PolicyFile} is refused: {e.Message}");
        }
    }

    // A secret already in place that the request would change is not replaced without --force.
    private static void CheckExistingSecrets(ProvisionPlan plan, List<string> problems)
    {
        if (plan.Request.Force) return;
        if (plan.Request.KeyFile is { } key && File.Exists(key) && Differs(plan.TlsKey, key))
            problems.Add($"{plan.TlsKey} already holds a different TLS client key: refusing to replace it without --force");
        if (plan.Request.AuthorityFile is { } authority && File.Exists(authority) && Differs(plan.AuthorityKey, authority))
            problems.Add($"{plan.AuthorityKey} already holds a different authority key (it decides who may widen the sharing policy): " +
                         "refusing to replace it without --force");
        if (File.Exists(plan.UnitKey))
        {
            try
            {
                UnitSecret.Load(plan.UnitKey);
            }
            catch (ConfigurationProblemException e) when (!e.Message.Contains("open to other users", StringComparison.Ordinal))
            {
                problems.Add($"{plan.UnitKey} exists but is not a usable unit secret ({e.Problems[0]}); --force replaces it");
            }
        }
    }

    private static bool Differs(string installed, string offered) =>
        File.Exists(installed) && !File.ReadAllBytes(installed).AsSpan().SequenceEqual(File.ReadAllBytes(offered));

    private void Say(string line) => output.WriteLine("provision: " + line);

    private static void EnsureFolder(string path, UnixFileMode mode, (uint Uid, uint Gid)? owner, bool secretOwner)
    {
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, mode);
        if (owner is { } o && UnixAccounts.IsRoot) UnixAccounts.SetOwner(path, secretOwner ? o.Uid : 0, o.Gid);
    }

    // Written beside the target with its final mode from creation, then moved over it.
    private static void WriteFile(ProvisionPlan plan, string path, byte[] content, UnixFileMode mode, bool secret)
    {
        string temporary = path + ".tmp-" + Environment.ProcessId;
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = mode };
        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        File.SetUnixFileMode(temporary, mode);
        Own(plan, temporary, secret);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Secrets belong to the service's user; other files to root with the service's group.</summary>
    internal static void Own(ProvisionPlan plan, string path, bool secret)
    {
        if (plan.Owner is not { } o || !UnixAccounts.IsRoot) return;
        UnixAccounts.SetOwner(path, secret ? o.Uid : 0, o.Gid);
    }
}
