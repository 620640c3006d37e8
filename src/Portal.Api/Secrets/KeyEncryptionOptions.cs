namespace Portal.Api.Secrets;

/// <summary>
/// Encryption at rest of the Data Protection key ring, bound from <c>Portal:KeyEncryption</c>
/// (environment: <c>Portal__KeyEncryption__CertificateFile</c>, <c>…__CertificatePassword</c>).
/// </summary>
public sealed class KeyEncryptionOptions
{
    public const string Section = "Portal:KeyEncryption";

    /// <summary>
    /// A PKCS#12 (.pfx) file with an RSA certificate and its private key. When set, each key of the
    /// ring is encrypted to it before it is stored in Postgres, so a copy of the database alone
    /// cannot decrypt session cookies or stored host passwords. Unset: keys are stored in the clear.
    /// </summary>
    public string? CertificateFile { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>
    /// Earlier certificates (.pfx files, same password) still able to decrypt keys written under
    /// them, for rotating <see cref="CertificateFile"/> without losing the ring.
    /// </summary>
    public string[] PreviousCertificateFiles { get; set; } = [];
}
