using System.CommandLine;
using System.Globalization;

using EdgeAgent.Core.Configuration;
using EdgeAgent.Core.Plates;
using EdgeAgent.Hosting;
using EdgeAgent.Privacy.Keys;

namespace EdgeAgent.Cli;

/// <summary>
/// keys init|id and hash: the unit secret on the box, and the hash of a known plate for the key holder on
/// the backend side, so it can match its own lists against the reads.
/// </summary>
public static class KeyCommands
{
    public static Command Keys()
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

        return new Command("keys", "Manage the unit secret that keys the plate hashes") { init, id };
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
    }
}
