using System.Diagnostics;

using EdgeAgent.TestSupport;

namespace EdgeAgent.FaultTests;

/// <summary>
/// A throwaway PKI made with the openssl command, as an operator would: a CA, a broker certificate for
/// 127.0.0.1 signed by it, a client certificate for this unit signed by it, and an impostor broker
/// certificate signed by an unrelated CA (which the agent must refuse).
/// </summary>
public sealed class OpensslPki : IDisposable
{
    private readonly TempDirectory _dir = new("edgeagent-openssl-pki");

    public OpensslPki()
    {
        Ca("ca", "EdgeAgent Fleet CA");
        Ca("rogue-ca", "Somebody Else");
        Leaf("server", "ca", "127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth");
        Leaf("client", "ca", "unit-0001", "extendedKeyUsage=clientAuth");
        Leaf("rogue-server", "rogue-ca", "127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth");
        File.SetUnixFileMode(ClientKey, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public string CaFile => _dir.File("ca.pem");
    public string ClientCert => _dir.File("client.pem");
    public string ClientKey => _dir.File("client.key");

    public BrokerTls Broker(bool rogue = false) =>
        new(CaFile, _dir.File(rogue ? "rogue-server.pem" : "server.pem"), _dir.File(rogue ? "rogue-server.key" : "server.key"), RequireClientCertificate: true);

    public void Dispose() => _dir.Dispose();

    private void Ca(string name, string subject) =>
        Openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
            "-subj", $"/CN={subject}", "-keyout", _dir.File(name + ".key"), "-out", _dir.File(name + ".pem"));

    private void Leaf(string name, string ca, string cn, string extensions)
    {
        File.WriteAllText(_dir.File(name + ".ext"), extensions + "\n");
        Openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", $"/CN={cn}",
            "-keyout", _dir.File(name + ".key"), "-out", _dir.File(name + ".csr"));
        Openssl("x509", "-req", "-in", _dir.File(name + ".csr"), "-CA", _dir.File(ca + ".pem"), "-CAkey", _dir.File(ca + ".key"),
            "-CAcreateserial", "-days", "2", "-extfile", _dir.File(name + ".ext"), "-out", _dir.File(name + ".pem"));
    }

    private static void Openssl(params string[] args)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        using Process p = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start (Debian package openssl)");
        string errors = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"openssl {string.Join(' ', args)} failed: {errors}");
    }
}
