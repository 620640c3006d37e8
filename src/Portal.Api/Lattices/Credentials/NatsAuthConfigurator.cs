using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Data;

namespace Portal.Api.Lattices.Credentials;

/// <summary>
/// Writes nats-server's accounts file from the database and asks the server to reload it (SIGHUP),
/// so issuing or revoking a host credential takes effect without a restart. A revoked user's open
/// connections are closed by the server on reload.
/// </summary>
public sealed class NatsAuthConfigurator(PortalDbContext db, IDataProtectionProvider protection, IOptions<NatsOptions> options, ILogger<NatsAuthConfigurator> logger)
{
    public const string ProtectorPurpose = "host-credentials";
    private static readonly SemaphoreSlim WriteGate = new(1, 1);

    public bool Enabled => !string.IsNullOrEmpty(options.Value.AccountsFile);

    /// <summary>The per-tenant user the portal itself uses inside a tenant's account; derived, never stored.</summary>
    public static string ServicePassword(string portalPassword, string tenantSlug) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(portalPassword), Encoding.UTF8.GetBytes("tenant:" + tenantSlug)));

    /// <summary>Like <see cref="ApplyAsync"/>, but logs instead of throwing when the file cannot be written.</summary>
    public async Task<bool> TryApplyAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await ApplyAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            logger.LogError(e, "Could not update nats-server's accounts file {File}", options.Value.AccountsFile);
            return false;
        }
    }

    public async Task ApplyAsync(CancellationToken cancellationToken = default)
    {
        var nats = options.Value;
        if (string.IsNullOrEmpty(nats.AccountsFile)) return;
        var protector = protection.CreateProtector(ProtectorPurpose);

        var rows = await db.HostCredentials.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.RevokedAt == null)
            .Select(c => new { c.NatsUser, c.ProtectedPassword, c.Lattice!.LatticeId, Slug = c.Lattice.Tenant!.Slug })
            .ToListAsync(cancellationToken);
        // Every tenant with a lattice gets its account (with the portal's user) even before its first
        // host credential: the reconciler joins it as soon as something is deployed there.
        var withLattices = await db.Lattices.IgnoreQueryFilters().AsNoTracking().Select(l => l.Tenant!.Slug).Distinct().ToListAsync(cancellationToken);
        var portalPassword = nats.Password ?? "";
        var accounts = withLattices.Concat(rows.Select(r => r.Slug)).Distinct(StringComparer.Ordinal)
            .Select(slug => new NatsAccount(slug,
                [
                    new NatsAccountUser($"portal_{slug}", ServicePassword(portalPassword, slug), null),
                    .. rows.Where(r => r.Slug == slug).Select(r => new NatsAccountUser(r.NatsUser, protector.Unprotect(r.ProtectedPassword), r.LatticeId)),
                ]))
            .ToList();
        var text = NatsAccountsRenderer.Render(nats.User ?? "portal", portalPassword, accounts);

        await WriteGate.WaitAsync(cancellationToken);
        try
        {
            // Write beside the target and rename: nats-server never reads a half-written file.
            var temp = nats.AccountsFile + ".tmp";
            await File.WriteAllTextAsync(temp, text, cancellationToken);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.Move(temp, nats.AccountsFile, overwrite: true);
            await ReloadAsync(nats, cancellationToken);
        }
        finally
        {
            WriteGate.Release();
        }
    }

    private async Task ReloadAsync(NatsOptions nats, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(nats.PidFile) || !File.Exists(nats.PidFile))
        {
            logger.LogWarning("Wrote {File} but cannot reload nats-server: no pid file at {PidFile}", nats.AccountsFile, nats.PidFile);
            return;
        }

        var pid = (await File.ReadAllTextAsync(nats.PidFile, cancellationToken)).Trim();
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-HUP", pid]) { RedirectStandardError = true })!;
        await kill.WaitForExitAsync(cancellationToken);
        if (kill.ExitCode != 0) logger.LogWarning("Could not signal nats-server {Pid} to reload: {Error}", pid, await kill.StandardError.ReadToEndAsync(cancellationToken));
    }
}
