using System.Security.Cryptography;

namespace EdgeAgent.Privacy.Policy;

/// <summary>
/// The policy authority's ECDSA P-256 key. A unit holds only the public half (PEM, configured at install
/// as Privacy:AuthorityKeyFile); the private half stays with the authority and signs policies.
/// </summary>
public sealed class AuthorityKey : IDisposable
{
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private readonly ECDsa _key;

    private AuthorityKey(ECDsa key, bool hasPrivate)
    {
        _key = key;
        HasPrivateKey = hasPrivate;
        KeyId = Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];
    }

    /// <summary>A public name of the key: the first 16 hex digits of the SHA-256 of its public key (SubjectPublicKeyInfo).</summary>
    public string KeyId { get; }

    public bool HasPrivateKey { get; }

    internal ECDsa Key => _key;

    /// <summary>Makes a new key pair; returns the private and public PEM texts.</summary>
    public static (string PrivatePem, string PublicPem) Generate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (key.ExportPkcs8PrivateKeyPem(), key.ExportSubjectPublicKeyInfoPem());
    }

    /// <summary>Loads a PEM file: a public key ("PUBLIC KEY") or a private one ("PRIVATE KEY", "EC PRIVATE KEY").</summary>
    public static AuthorityKey Load(string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new PolicyException($"authority key file {full} does not exist");
        string pem = File.ReadAllText(full);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            ECParameters parameters = key.ExportParameters(includePrivateParameters: false);
            if (parameters.Curve.Oid?.Value != P256Oid && parameters.Curve.Oid?.FriendlyName is not ("nistP256" or "ECDSA_P256"))
                throw new PolicyException($"authority key file {full} holds a key on curve {parameters.Curve.Oid?.FriendlyName ?? "unknown"}; the authority key must be ECDSA P-256");
            bool hasPrivate = pem.Contains("PRIVATE KEY", StringComparison.Ordinal);
            return new AuthorityKey(key, hasPrivate);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new PolicyException($"authority key file {full} is not an ECDSA P-256 key in PEM form ({e.Message}); make a pair with `edgeagent policy keygen --out NAME`");
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    internal byte[] Sign(ReadOnlySpan<byte> data)
    {
        if (!HasPrivateKey) throw new PolicyException("this is the authority's public key; signing needs its private key file");
        return _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>Checks a signature in the fixed r||s form (64 bytes) or DER (what openssl dgst writes).</summary>
    internal bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        DSASignatureFormat format = signature.Length == 64 ? DSASignatureFormat.IeeeP1363FixedFieldConcatenation : DSASignatureFormat.Rfc3279DerSequence;
        try
        {
            return _key.VerifyData(data, signature, HashAlgorithmName.SHA256, format);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public void Dispose() => _key.Dispose();
}
