using System.CommandLine;
using System.Globalization;

using EdgeAgent.Core.Configuration;
using EdgeAgent.Hosting;
using EdgeAgent.Privacy.Policy;
using EdgeAgent.Settings;

namespace EdgeAgent.Cli;

/// <summary>
/// policy keygen|sign|verify|show: the authority makes its key pair and signs policies off the box; a unit
/// (or anyone) verifies a signed policy against the authority's public key; show prints what a policy
/// grants, or the one in force on this unit.
/// </summary>
public static class PolicyCommands
{
    public static Command Policy(string[] settingArgs)
    {
        var output = new Option<string>("--out") { Description = "Name of the key pair: writes NAME.key (private, mode 0600) and NAME.pub", Required = true };
        var keygen = new Command("keygen", "Make an authority key pair (ECDSA P-256) for signing policies; install only NAME.pub on units") { output };
        keygen.SetAction(parse => Guard(() =>
        {
            string name = Path.GetFullPath(parse.GetValue(output)!);
            if (File.Exists(name + ".key")) throw new ConfigurationProblemException("--out", $"{name}.key already exists; choose another name");
            var (privatePem, publicPem) = AuthorityKey.Generate();
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
            using (var writer = new StreamWriter(new FileStream(name + ".key", options))) writer.Write(privatePem);
            File.WriteAllText(name + ".pub", publicPem);
            using AuthorityKey key = AuthorityKey.Load(name + ".pub");
            Console.WriteLine($"created {name}.key (private, keep it with the authority) and {name}.pub (key id {key.KeyId}; set Privacy:AuthorityKeyFile to it on units)");
            return ExitCodes.Ok;
        }));

        var signKey = new Option<FileInfo>("--key") { Description = "The authority's private key (PEM)", Required = true };
        var input = new Option<FileInfo>("--in") { Description = "The policy to sign: a policy object, or a signed policy to sign again", Required = true };
        var signed = new Option<FileInfo>("--out") { Description = "Where to write the signed policy", Required = true };
        var sign = new Command("sign", "Sign a policy with the authority's private key (the policy is checked first)") { signKey, input, signed };
        sign.SetAction(parse => Guard(() =>
        {
            using AuthorityKey key = AuthorityKey.Load(parse.GetValue(signKey)!.FullName);
            byte[] document = PolicyDocument.Sign(File.ReadAllBytes(parse.GetValue(input)!.FullName), key);
            File.WriteAllBytes(parse.GetValue(signed)!.FullName, document);
            SharingPolicy policy = PolicyDocument.ReadUnverified(document);
            Console.WriteLine($"signed policy version {policy.Version} with authority key {key.KeyId}: {parse.GetValue(signed)!.FullName}");
            return ExitCodes.Ok;
        }));

        var file = new Argument<FileInfo>("file") { Description = "A signed policy file" };
        var authority = new Option<FileInfo?>("--authority-key") { Description = "The authority's public key (default: Privacy:AuthorityKeyFile)" };
        var verify = new Command("verify", "Check a policy's signature against the authority key; exit 5 when it is unsigned, wrongly signed or malformed") { file, authority };
        verify.SetAction(parse => Guard(() =>
        {
            string path = parse.GetValue(file)!.FullName;
            using AuthorityKey? key = LoadAuthority(settingArgs, parse.GetValue(AgentCommands.ConfigOption), parse.GetValue(authority));
            try
            {
                SharingPolicy policy = PolicyDocument.Verify(ReadPolicyFile(path), key);
                Console.WriteLine($"{path}: valid signature by authority key {key!.KeyId}; version {policy.Version}; {PolicyStore.Describe(policy)}");
                return ExitCodes.Ok;
            }
            catch (PolicyRefusedException e)
            {
                Console.Error.WriteLine($"edgeagent: {path}: refused: {e.Message}");
                return ExitCodes.VerificationFailed;
            }
        }));

        var optionalFile = new Argument<FileInfo?>("file") { Description = "A policy file (default: the policy in force on this unit)", Arity = ArgumentArity.ZeroOrOne };
        var show = new Command("show", "Show what a policy grants: recipients, their topics and fields, who may ask for evidence") { optionalFile };
        show.SetAction(parse => Guard(() =>
        {
            FileInfo? given = parse.GetValue(optionalFile);
            SharingPolicy policy;
            string where;
            if (given is not null)
            {
                policy = PolicyDocument.ReadUnverified(ReadPolicyFile(given.FullName));
                where = $"{given.FullName} (signature not checked: use `edgeagent policy verify`)";
            }
            else
            {
                var (_, settings) = AgentCommands.LoadSettings(AgentMode.Run, settingArgs, parse.GetValue(AgentCommands.ConfigOption));
                string accepted = settings.Privacy.ResolveAcceptedPolicyPath(settings.Storage.Path);
                using AuthorityKey? key = string.IsNullOrWhiteSpace(settings.Privacy.AuthorityKeyFile) ? null : AuthorityKey.Load(settings.Privacy.AuthorityKeyFile);
                policy = accepted.Length > 0 && File.Exists(accepted) ? PolicyDocument.Verify(File.ReadAllBytes(accepted), key) : SharingPolicy.Default;
                where = policy.Version == 0 ? "the built-in default (no signed policy accepted on this unit)" : $"in force on this unit ({accepted})";
            }
            Print(policy, where);
            return ExitCodes.Ok;
        }));

        return new Command("policy", "Sign, verify and show sharing policies (who may receive which fields, and evidence)") { keygen, sign, verify, show };
    }

    private static void Print(SharingPolicy policy, string where)
    {
        Console.WriteLine($"policy version {policy.Version}, {where}");
        if (policy.IssuedAt is { } at) Console.WriteLine($"issued {at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}{(policy.Issuer.Length > 0 ? " by " + policy.Issuer : "")}");
        foreach (Recipient r in policy.Recipients)
        {
            Console.WriteLine($"  {r.Name}: reads on {r.TopicRoot}/read; evidence {(r.Evidence ? $"on request ({r.TopicRoot}/evidence/request)" : "never")}");
            Console.WriteLine($"    fields: {string.Join(", ", r.Fields.Order(StringComparer.Ordinal))} (plus v, id, historical)");
        }
    }

    private static AuthorityKey? LoadAuthority(string[] settingArgs, FileInfo? configFile, FileInfo? explicitKey)
    {
        if (explicitKey is not null) return AuthorityKey.Load(explicitKey.FullName);
        var (_, settings) = AgentCommands.LoadSettings(AgentMode.Run, settingArgs, configFile);
        return string.IsNullOrWhiteSpace(settings.Privacy.AuthorityKeyFile) ? null : AuthorityKey.Load(settings.Privacy.AuthorityKeyFile);
    }

    private static byte[] ReadPolicyFile(string path) =>
        File.Exists(path) ? File.ReadAllBytes(path) : throw new ConfigurationProblemException("file", $"policy file {path} does not exist");

    private static int Guard(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (ConfigurationProblemException e)
        {
            Console.Error.WriteLine("edgeagent: " + e.Message);
            return ExitCodes.BadConfiguration;
        }
        catch (PolicyException e)
        {
            Console.Error.WriteLine("edgeagent: " + string.Join(Environment.NewLine + "  ", e.Problems.Prepend("the policy has problems:")));
            return ExitCodes.BadConfiguration;
        }
        catch (PolicyRefusedException e)
        {
            Console.Error.WriteLine("edgeagent: " + e.Message);
            return ExitCodes.VerificationFailed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("edgeagent: " + e.Message);
            return ExitCodes.Failed;
        }
    }
}
