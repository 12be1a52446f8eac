using System.CommandLine;

using EdgeAgent.Cli.Provisioning;
using EdgeAgent.Core.Configuration;
using EdgeAgent.Hosting;

namespace EdgeAgent.Cli;

/// <summary>edgeagent provision: makes an installed agent into this unit (README "Installing on a unit").</summary>
public static class ProvisionCommand
{
    public static Command Create()
    {
        var site = new Option<string>("--site") { Description = "The site id (a topic level: anpr/v1/{site}/...)", Required = true };
        var camera = new Option<string>("--camera") { Description = "The camera id (a topic level: anpr/v1/{site}/{camera}/...)", Required = true };
        var profile = new Option<string>("--profile") { Description = "A hardware profile name (see hardware-profiles/) or a profile file", Required = true };
        var broker = new Option<string>("--broker") { Description = "The MQTT broker, host:port (port 1883, or 8883 with --ca, when left out)", Required = true };
        var source = new Option<string?>("--source") { Description = "The camera: rtsp://..., /dev/video0, v4l2:0 or a video file (kept as it is when left out)" };
        var ca = new Option<FileInfo?>("--ca") { Description = "The CA certificate (PEM) that signed the broker's: turns TLS on" };
        var cert = new Option<FileInfo?>("--cert") { Description = "This unit's client certificate (PEM), with --key" };
        var key = new Option<FileInfo?>("--key") { Description = "This unit's client private key (PEM, unencrypted); installed mode 0600" };
        var authority = new Option<FileInfo?>("--authority") { Description = "The policy authority's public key (PEM): only policies it signed are accepted" };
        var policy = new Option<FileInfo?>("--policy") { Description = "A signed sharing policy to install (checked against the authority key)" };
        var user = new Option<string?>("--user") { Description = "The service's user, who will own the secrets (default: edgeagent, when it exists)" };
        var configDir = new Option<DirectoryInfo>("--config-dir") { Description = "Where the unit's settings and keys go", DefaultValueFactory = _ => new DirectoryInfo("/etc/edgeagent") };
        var dataDir = new Option<DirectoryInfo>("--data-dir") { Description = "Where the outbox and audit log go", DefaultValueFactory = _ => new DirectoryInfo("/var/lib/edgeagent") };
        var force = new Option<bool>("--force") { Description = "Replace existing secrets: the unit secret (every earlier hash becomes unmatchable), the TLS key, the authority key" };

        var command = new Command("provision",
            "Make this installed agent into a unit: settings, profile, TLS files, authority key, and the unit secret (never replaced without --force)")
        {
            site, camera, profile, broker, source, ca, cert, key, authority, policy, user, configDir, dataDir, force,
        };
        command.SetAction(parse =>
        {
            var request = new ProvisionRequest
            {
                Site = parse.GetValue(site)!,
                Camera = parse.GetValue(camera)!,
                Profile = parse.GetValue(profile)!,
                Broker = parse.GetValue(broker)!,
                Source = parse.GetValue(source),
                CaFile = parse.GetValue(ca)?.FullName,
                CertFile = parse.GetValue(cert)?.FullName,
                KeyFile = parse.GetValue(key)?.FullName,
                AuthorityFile = parse.GetValue(authority)?.FullName,
                PolicyFile = parse.GetValue(policy)?.FullName,
                User = parse.GetValue(user),
                ConfigDir = parse.GetValue(configDir)!.FullName,
                DataDir = parse.GetValue(dataDir)!.FullName,
                Force = parse.GetValue(force),
            };
            try
            {
                new Provisioner(AgentPaths.HardwareProfiles, Console.Out).Apply(request);
                return ExitCodes.Ok;
            }
            catch (ConfigurationProblemException e)
            {
                Console.Error.WriteLine("edgeagent: " + e.Message);
                Console.Error.WriteLine("edgeagent: nothing was changed");
                return ExitCodes.BadConfiguration;
            }
            catch (UnauthorizedAccessException e)
            {
                Console.Error.WriteLine($"edgeagent: provision: {e.Message}: run it as root (sudo edgeagent provision ...)");
                return ExitCodes.BadConfiguration;
            }
        });
        return command;
    }
}
