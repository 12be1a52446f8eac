using System.Text.Json;
using System.Text.Json.Nodes;

using EdgeAgent.Core.Configuration;
using EdgeAgent.Settings;

namespace EdgeAgent.Cli.Provisioning;

/// <summary>
/// The unit's appsettings.json: provision sets the keys it owns and keeps every other one (a site's
/// tuning survives a re-provision). The result is bound like the agent binds it before it replaces the
/// old file, so provision can never leave settings the agent would refuse.
/// </summary>
internal static class SettingsFile
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write(ProvisionPlan plan)
    {
        JsonObject root = Load(plan.SettingsFile);
        ProvisionRequest r = plan.Request;
        Set(root, "Camera", "Profile", plan.ProfileFile);
        if (r.Source is not null) Set(root, "Camera", "Source", r.Source);
        Set(root, "Mqtt", "Host", plan.Host);
        Set(root, "Mqtt", "Port", plan.Port);
        Set(root, "Mqtt", "Site", r.Site);
        Set(root, "Mqtt", "CameraId", r.Camera);
        if (plan.Tls)
        {
            Set(root, "Mqtt", "TlsCaFile", plan.TlsCa);
            Set(root, "Mqtt", "TlsCertFile", r.CertFile is null ? "" : plan.TlsCert);
            Set(root, "Mqtt", "TlsKeyFile", r.KeyFile is null ? "" : plan.TlsKey);
        }
        Set(root, "Storage", "Path", plan.Outbox);
        Set(root, "Privacy", "KeyFile", plan.UnitKey);
        if (r.AuthorityFile is not null) Set(root, "Privacy", "AuthorityKeyFile", plan.AuthorityKey);
        if (r.PolicyFile is not null) Set(root, "Privacy", "PolicyFile", plan.PolicyFile);

        string json = root.ToJsonString(Indented) + "\n";
        string temporary = plan.SettingsFile + ".tmp-" + Environment.ProcessId;
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead,
        };
        using (var writer = new StreamWriter(new FileStream(temporary, options))) writer.Write(json);
        try
        {
            SettingsLoader.Bind(SettingsLoader.Build([], temporary));
        }
        catch (ConfigurationProblemException e)
        {
            File.Delete(temporary);
            throw new ConfigurationProblemException("provision", [.. e.Problems.Select(p => $"the settings provision would write are refused by the agent: {p}")]);
        }
        Provisioner.Own(plan, temporary, secret: false);
        File.Move(temporary, plan.SettingsFile, overwrite: true);
    }

    private static JsonObject Load(string path)
    {
        if (!File.Exists(path)) return [];
        try
        {
            JsonNode? node = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
            return node as JsonObject ?? throw new ConfigurationProblemException("provision", $"{path} is not a JSON object: fix or remove it, then provision again");
        }
        catch (JsonException e)
        {
            throw new ConfigurationProblemException("provision", $"{path} is not valid JSON ({e.Message}): fix or remove it, then provision again");
        }
    }

    private static void Set(JsonObject root, string section, string key, JsonNode value)
    {
        if (root[section] is not JsonObject s)
        {
            s = [];
            root[section] = s;
        }
        s[key] = value;
    }
}
