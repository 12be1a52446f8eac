using EdgeAgent.Settings;
using EdgeAgent.Transport.Mosquitto;

namespace EdgeAgent.Hosting;

/// <summary>
/// The broker link's TLS and credentials from the settings. With Mqtt:TlsCaFile set the client speaks TLS
/// only and verifies the server (CA and host name); libmosquitto never falls back to plain text. The password
/// is read from its file here and goes only to libmosquitto: MosquittoClientOptions.ToString masks it.
/// </summary>
public static class LinkSecurity
{
    public static MqttTls? Tls(MqttSettings mqtt)
    {
        ArgumentNullException.ThrowIfNull(mqtt);
        if (string.IsNullOrWhiteSpace(mqtt.TlsCaFile)) return null;
        return new MqttTls(mqtt.TlsCaFile)
        {
            CertFile = string.IsNullOrWhiteSpace(mqtt.TlsCertFile) ? null : mqtt.TlsCertFile,
            KeyFile = string.IsNullOrWhiteSpace(mqtt.TlsKeyFile) ? null : mqtt.TlsKeyFile,
        };
    }

    public static string? Password(MqttSettings mqtt)
    {
        ArgumentNullException.ThrowIfNull(mqtt);
        return string.IsNullOrWhiteSpace(mqtt.PasswordFile) ? null : ReliabilitySettingsValidator.ReadPassword(mqtt.PasswordFile);
    }
}
