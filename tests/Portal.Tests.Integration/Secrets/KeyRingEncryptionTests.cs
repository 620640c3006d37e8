using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.Testing;

namespace Portal.Tests.Integration.Secrets;

/// <summary>With a key-encryption certificate configured, the key ring in Postgres holds no key in the clear.</summary>
public sealed class KeyRingEncryptionTests(KeyRingEncryptionTests.Portal portal) : IClassFixture<KeyRingEncryptionTests.Portal>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed class Portal(PortalServers servers) : PortalWebFactory(servers), IAsyncDisposable
    {
        private const string Password = "key-ring-test";
        private readonly string _certificate = Path.Combine(Path.GetTempPath(), $"portal-keys-{Guid.NewGuid():N}.pfx");

        public override async ValueTask InitializeAsync()
        {
            await base.InitializeAsync();
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest("CN=Lattice Portal key ring (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            await File.WriteAllBytesAsync(_certificate, certificate.Export(X509ContentType.Pfx, Password));
        }

        // Host configuration, not ConfigureWebHost: the portal reads this setting while it registers
        // services, before settings given to the web host builder are applied.
        protected override IHost CreateHost(IHostBuilder builder)
        {
            builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Portal:KeyEncryption:CertificateFile"] = _certificate,
                ["Portal:KeyEncryption:CertificatePassword"] = Password,
            }));
            return base.CreateHost(builder);
        }

        async ValueTask IAsyncDisposable.DisposeAsync()
        {
            await DisposeAsync();
            File.Delete(_certificate);
        }
    }

    [Fact]
    public async Task Keys_are_stored_encrypted_and_another_replica_can_still_use_them()
    {
        var secret = portal.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("host password");

        await using (var db = portal.CreateDbContext())
        {
            var keys = await db.DataProtectionKeys.Select(k => k.Xml).ToListAsync(Ct);
            Assert.NotEmpty(keys);
            Assert.All(keys, xml =>
            {
                Assert.Contains("EncryptedData", xml);
                Assert.DoesNotContain("<masterKey", xml);
            });
        }

        // A second portal on the same database (its own container, nothing cached) reads the ring
        // back from Postgres, which needs the certificate to decrypt it.
        await using var replica = portal.WithWebHostBuilder(_ => { });
        Assert.Equal("host password", replica.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(secret));
    }
}
