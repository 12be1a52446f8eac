using System.Diagnostics;

using EdgeAgent.Cli.Output;
using EdgeAgent.Hosting;
using EdgeAgent.Settings;
using EdgeAgent.Transport.Mosquitto;

namespace EdgeAgent.Cli.Doctor;

/// <summary>
/// The broker answers an MQTT CONNECT with the unit's own link settings: TLS with the configured CA, the
/// client certificate and credentials, exactly as the service will connect.
/// </summary>
public sealed class BrokerCheck : IDoctorCheck
{
    public string Name => "broker";

    public async Task<CheckResult> RunAsync(DoctorContext context, CommandProgress progress, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(context);
        MqttSettings mqtt = context.Settings.Mqtt;
        if (string.IsNullOrWhiteSpace(mqtt.Host))
            return CheckResult.Fail(Name, "Mqtt:Host is not set", "edgeagent provision --broker host:port");
        string endpoint = $"{mqtt.Host}:{mqtt.Port}";
        MosquittoClientOptions options;
        try
        {
            options = new MosquittoClientOptions
            {
                Host = mqtt.Host,
                Port = mqtt.Port,
                // Its own id: the service's id would make the broker drop the running agent's session.
                ClientId = $"edgeagent-doctor-{mqtt.Site}-{mqtt.CameraId}-{Environment.ProcessId}",
                ConnectTimeout = context.Timeout,
                Tls = LinkSecurity.Tls(mqtt),
                Username = string.IsNullOrWhiteSpace(mqtt.Username) ? null : mqtt.Username,
                Password = LinkSecurity.Password(mqtt),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Core.Configuration.ConfigurationProblemException)
        {
            return CheckResult.Fail(Name, $"the link settings cannot be used: {e.Message}", "fix the Mqtt:Tls* and Mqtt:PasswordFile settings");
        }
        if (options.Validate() is { } invalid)
            return CheckResult.Fail(Name, $"{endpoint}: {invalid}", "fix the Mqtt settings (edgeagent provision --broker/--ca/--cert/--key)");

        string link = options.Tls is null ? "plain MQTT" : options.Tls.CertFile is null ? "TLS, server verified" : "TLS, server verified, client certificate";
        var clock = Stopwatch.StartNew();
        await using var client = new MosquittoClient(options);
        try
        {
            await client.ConnectAsync(cancellation).ConfigureAwait(false);
            TimeSpan took = clock.Elapsed;
            await client.DisconnectAsync().ConfigureAwait(false);
            return CheckResult.Pass(Name, $"{endpoint} accepted the connection ({link}) in {took.TotalMilliseconds:0} ms");
        }
        catch (BrokerRefusedException e)
        {
            return CheckResult.Fail(Name, $"{endpoint} refused the connection ({link}): {e.Message}", options.Tls is null
                ? "check Mqtt:Username and Mqtt:PasswordFile, and that the broker allows this unit"
                : "check that Mqtt:TlsCaFile signed the broker's certificate, that Mqtt:Host matches the certificate's name, and the client certificate is one the broker trusts");
        }
        catch (MosquittoException e)
        {
            return CheckResult.Fail(Name, $"{endpoint} is not reachable ({link}): {e.Message}",
                $"start the broker, or check Mqtt:Host and Mqtt:Port, DNS, and that the firewall lets TCP {mqtt.Port} out");
        }
    }
}
