using System.CommandLine;
using System.Globalization;

using EdgeAgent.Core.Configuration;
using EdgeAgent.Core.Ports;
using EdgeAgent.Hosting;
using EdgeAgent.Settings;
using EdgeAgent.Storage.Audit;

namespace EdgeAgent.Cli;

/// <summary>
/// audit verify|show: recompute the hash chain and name the first bad entry (exit 5 then), or list the
/// newest entries. The log is found like the agent finds it: Privacy:AuditPath, else beside Storage:Path.
/// </summary>
public static class AuditCommands
{
    public static Command Audit(string[] settingArgs)
    {
        var path = new Option<FileInfo?>("--path") { Description = "The audit log (default: Privacy:AuditPath, else audit.jsonl beside Storage:Path)" };
        var head = new Option<string?>("--head") { Description = "A chain head published earlier (hex hash): the chain must still contain it" };
        var verify = new Command("verify", "Recompute the audit chain; name the first edited, removed or reordered entry and exit 5 if there is one") { path, head };
        verify.SetAction(parse => Guard(() =>
        {
            string file = Locate(settingArgs, parse.GetValue(AgentCommands.ConfigOption), parse.GetValue(path));
            AuditVerification result = AuditVerifier.Verify(file, parse.GetValue(head));
            if (result.Ok)
            {
                Console.WriteLine($"{file}: {result}");
                return ExitCodes.Ok;
            }
            Console.Error.WriteLine($"edgeagent: {file}: {result}");
            return ExitCodes.VerificationFailed;
        }));

        var last = new Option<int>("--last") { Description = "How many of the newest entries to list", DefaultValueFactory = _ => 20 };
        var show = new Command("show", "List the newest audit entries (after verifying the chain)") { path, last };
        show.SetAction(parse => Guard(() =>
        {
            string file = Locate(settingArgs, parse.GetValue(AgentCommands.ConfigOption), parse.GetValue(path));
            IReadOnlyList<AuditEntry> entries = AuditVerifier.ReadAll(file);
            foreach (AuditEntry e in entries.Skip(Math.Max(0, entries.Count - parse.GetValue(last))))
            {
                string details = string.Join(' ', e.Details.Select(d => $"{d.Key}={d.Value}"));
                Console.WriteLine($"#{e.Seq} {e.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)} {e.Kind} {details}");
            }
            Console.WriteLine($"{entries.Count} entries, head {(entries.Count > 0 ? entries[^1].Hash : AuditHead.GenesisHash)}");
            return ExitCodes.Ok;
        }));

        return new Command("audit", "Check and read the append-only, hash-chained audit log") { verify, show };
    }

    /// <summary>The audit log's path from --path or the settings; throws with the fix when neither names one.</summary>
    internal static string Locate(string[] settingArgs, FileInfo? configFile, FileInfo? explicitPath)
    {
        if (explicitPath is not null) return explicitPath.FullName;
        var (_, settings) = AgentCommands.LoadSettings(AgentMode.Run, settingArgs, configFile);
        string resolved = settings.Privacy.ResolveAuditPath(settings.Storage.Path);
        if (resolved.Length == 0)
            throw new ConfigurationProblemException("--path", "no audit log given: pass --path FILE, or set Storage:Path (the log is audit.jsonl beside it) or Privacy:AuditPath");
        return resolved;
    }

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
        catch (FileNotFoundException e)
        {
            Console.Error.WriteLine("edgeagent: " + e.Message + ": check --path, Privacy:AuditPath or Storage:Path");
            return ExitCodes.BadConfiguration;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("edgeagent: " + e.Message);
            return ExitCodes.VerificationFailed;
        }
    }
}
