using System.CommandLine;
using System.Globalization;

using EdgeAgent.Core.Configuration;
using EdgeAgent.Core.Plates;
using EdgeAgent.Hosting;
using EdgeAgent.Core.Ports;
using EdgeAgent.Privacy.Keys;
using EdgeAgent.Settings;
using EdgeAgent.Storage.Audit;

namespace EdgeAgent.Cli;

/// <summary>
/// keys init|id and hash: the unit secret on the box, and the hash of a known plate for the key holder on
/// the backend side, so it can match its own lists against the reads.
/// </summary>
public static class KeyCommands
{
    public static Command Keys() => Keys([]);

    public static Command Keys(string[] settingArgs)
    {
        var keyOption = new Option<FileInfo>("--key") { Description = "The unit secret file", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace an existing secret (every earlier hash becomes unmatchable)" };

        var init = new Command("init", "Make a new unit secret (32 random bytes, mode 0600)") { keyOption, force };
        init.SetAction(parse => Guard(() =>
        {
            UnitSecret secret = UnitSecret.Create(parse.GetValue(keyOption)!.FullName, parse.GetValue(force));
            Console.WriteLine($"created {secret.Path} (key id {secret.KeyId}, mode 0600)");
        }));

        var id = new Command("id", "Print the key id of a unit secret (safe to share: it names the secret, it does not reveal it)") { keyOption };
        id.SetAction(parse => Guard(() => Console.WriteLine(UnitSecret.Load(parse.GetValue(keyOption)!.FullName).KeyId)));

        var rotateKey = new Option<FileInfo?>("--key") { Description = "The unit secret file (default: Privacy:KeyFile)" };
        var auditPath = new Option<FileInfo?>("--audit") { Description = "The audit log (default: Privacy:AuditPath, else audit.jsonl beside Storage:Path)" };
        var rotate = new Command("rotate",
            "Replace the unit secret with a new one, audited (old and new key ids); hashes from then on need the new secret to match") { rotateKey, auditPath };
        rotate.SetAction(parse => Guard(() => Rotate(settingArgs, parse.GetValue(AgentCommands.ConfigOption), parse.GetValue(rotateKey), parse.GetValue(auditPath))));

        return new Command("keys", "Manage the unit secret that keys the plate hashes") { init, id, rotate };
    }

    public static Command Hash()
    {
        var key = new Option<FileInfo>("--key") { Description = "The unit secret file (the backend's copy)", Required = true };
        var date = new Option<string>("--date") { Description = "The charging day, YYYY-MM-DD", Required = true };
        var plate = new Option<string>("--plate") { Description = "The registration (spaces and case are ignored)", Required = true };
        var country = new Option<string>("--country") { Description = "Two-letter country of the plate", DefaultValueFactory = _ => "GB" };
        var command = new Command("hash", "Compute the plate hash and key id that reads carry for a plate on a given day") { key, date, plate, country };
        command.SetAction(parse => Guard(() =>
        {
            if (!DateOnly.TryParseExact(parse.GetValue(date), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day))
                throw new ConfigurationProblemException("--date", $"'{parse.GetValue(date)}' is not a date in the form YYYY-MM-DD");
            CountryCode code = CountryCode.Parse(parse.GetValue(country));
            if (!code.IsKnown) throw new ConfigurationProblemException("--country", $"'{parse.GetValue(country)}' is not a two-letter country code");
            var hasher = new PlateHasher(UnitSecret.Load(parse.GetValue(key)!.FullName), TimeZoneInfo.Utc);
            Console.WriteLine($"plate_hash {hasher.Hash(code, parse.GetValue(plate), day)}");
            Console.WriteLine($"key_id     {hasher.KeyIdFor(day)}");
        }));
        return command;
    }

    // The audit entry is written before the new secret takes the old one's place: no unaudited rotation.
    private static void Rotate(string[] settingArgs, FileInfo? configFile, FileInfo? keyFile, FileInfo? auditFile)
    {
        var (_, settings) = AgentCommands.LoadSettings(AgentMode.Run, settingArgs, configFile);
        string key = keyFile?.FullName ?? settings.Privacy.KeyFile;
        if (string.IsNullOrWhiteSpace(key))
            throw new ConfigurationProblemException("--key", "no unit secret given: pass --key FILE or set Privacy:KeyFile");
        string audit = AuditCommands.Locate(settingArgs, configFile, auditFile);
        var log = new AuditLogFile(audit);
        UnitSecret rotated = UnitSecret.Rotate(key, (oldId, newId) => log.Append(AuditKinds.KeyRotated, new Dictionary<string, string>
        {
            ["old_key_id"] = oldId,
            ["new_key_id"] = newId,
            ["key_file"] = Path.GetFullPath(key),
            ["by"] = "edgeagent keys rotate",
        }));
        Console.WriteLine($"rotated {rotated.Path}: new key id {rotated.KeyId} (audited in {audit} as #{log.Head.Seq})");
        Console.WriteLine("restart the agent to hash with the new secret, and give the backend's key holder a copy of it: reads now carry key id " +
                          $"{rotated.KeyId}:<date>");
    }

    private static int Guard(Action action)
    {
        try
        {
            action();
            return ExitCodes.Ok;
        }
        catch (ConfigurationProblemException e)
        {
            Console.Error.WriteLine("edgeagent: " + e.Message);
            return ExitCodes.BadConfiguration;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            // e.g. a damaged audit log: the rotation did not happen, the old secret stays.
            Console.Error.WriteLine("edgeagent: " + e.Message);
            return ExitCodes.Failed;
        }
    }
}
