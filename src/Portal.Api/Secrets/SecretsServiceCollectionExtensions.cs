using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Portal.Api.Secrets;

internal static class SecretsServiceCollectionExtensions
{
    public const string ApplicationName = "lattice-portal";

    public static IServiceCollection AddPortalSecrets(this IServiceCollection services, IConfiguration configuration)
    {
        var protection = services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(options => options.XmlRepository = new DatabaseXmlRepository(sp.GetRequiredService<IServiceScopeFactory>())));

        // Read now, not through options: Data Protection takes its certificates at registration.
        // (Configuration from the environment or appsettings is already there at this point.)
        var encryption = configuration.GetSection(KeyEncryptionOptions.Section).Get<KeyEncryptionOptions>() ?? new();
        if (!string.IsNullOrWhiteSpace(encryption.CertificateFile))
        {
            var current = Load(encryption.CertificateFile, encryption.CertificatePassword);
            protection.ProtectKeysWithCertificate(current);
            // Decrypting finds the certificate by thumbprint; Linux has no machine store to search,
            // so the certificates are handed over directly, earlier ones too for rotation.
            protection.UnprotectKeysWithAnyCertificate([current, .. encryption.PreviousCertificateFiles.Select(f => Load(f, encryption.CertificatePassword))]);
        }

        return services;
    }

    private static X509Certificate2 Load(string file, string? password)
    {
        if (!File.Exists(file)) throw new InvalidOperationException($"The key-encryption certificate {file} does not exist ({KeyEncryptionOptions.Section}).");
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(file, password, X509KeyStorageFlags.EphemeralKeySet);
        return certificate.HasPrivateKey && certificate.GetRSAPrivateKey() is not null
            ? certificate
            : throw new InvalidOperationException($"The key-encryption certificate {file} needs an RSA private key ({KeyEncryptionOptions.Section}).");
    }
}
