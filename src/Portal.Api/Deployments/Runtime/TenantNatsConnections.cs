using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Api.Lattices.Credentials;
using Portal.Data;
using Portal.Lattice.Nats;

namespace Portal.Api.Deployments.Runtime;

/// <summary>
/// One NATS connection per tenant. With nats accounts on (<see cref="NatsOptions.AccountsFile"/>)
/// a tenant's hosts live in the tenant's account, so the portal joins that account as
/// <c>portal_{slug}</c> with its derived service password; otherwise everything shares one
/// account and the portal's own user. Connections live as long as the portal.
/// </summary>
public sealed class TenantNatsConnections(IOptions<NatsOptions> options, IServiceScopeFactory scopes, ILogger<TenantNatsConnections> logger) : IAsyncDisposable
{
    private const string SharedKey = "";
    private readonly ConcurrentDictionary<string, Lazy<Task<NatsConnection>>> _connections = new(StringComparer.Ordinal);

    public bool AccountsEnabled => !string.IsNullOrEmpty(options.Value.AccountsFile);

    /// <summary>The connection that reaches <paramref name="tenantSlug"/>'s lattices.</summary>
    public Task<NatsConnection> ForTenantAsync(string tenantSlug, CancellationToken cancellationToken = default)
    {
        var key = AccountsEnabled ? tenantSlug : SharedKey;
        var lazy = _connections.GetOrAdd(key, k => new Lazy<Task<NatsConnection>>(() => OpenAsync(k)));
        var task = lazy.Value;
        // A failed first connect is not cached: the next caller tries again.
        if (task.IsFaulted) _connections.TryRemove(new KeyValuePair<string, Lazy<Task<NatsConnection>>>(key, lazy));
        return task.WaitAsync(cancellationToken);
    }

    /// <summary>The NATS options for a tenant's account (or the shared user when accounts are off).</summary>
    public NatsOpts OptsFor(string? tenantSlug)
    {
        var nats = options.Value;
        if (!AccountsEnabled || tenantSlug is null) return new NatsOpts { Url = nats.Url, User = nats.User, Password = nats.Password, Name = "portal-reconciler" };
        return new NatsOpts
        {
            Url = nats.Url, Name = $"portal-{tenantSlug}",
            User = $"portal_{tenantSlug}", Password = NatsAuthConfigurator.ServicePassword(nats.Password ?? "", tenantSlug),
        };
    }

    private async Task<NatsConnection> OpenAsync(string key)
    {
        var slug = key.Length == 0 ? null : key;
        try
        {
            return await ConnectAsync(slug);
        }
        catch (Exception e) when (slug is not null && e is NatsException or IOException)
        {
            // The accounts file may predate this tenant's first lattice: render it again, then retry once.
            logger.LogInformation("Joining tenant {Tenant}'s NATS account failed ({Error}); rewriting the accounts file", slug, e.Message);
            await using (var scope = scopes.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<NatsAuthConfigurator>().TryApplyAsync();
            }

            // nats-server reloads on SIGHUP asynchronously: give it a few moments.
            for (var attempt = 1; ; attempt++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
                try
                {
                    return await ConnectAsync(slug);
                }
                catch (Exception again) when (attempt < 5 && again is NatsException or IOException)
                {
                    // Not reloaded yet.
                }
            }
        }
    }

    private async Task<NatsConnection> ConnectAsync(string? slug)
    {
        var connection = new NatsConnection(OptsFor(slug));
        try
        {
            await connection.ConnectAsync();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The slug of the tenant owning <paramref name="latticeId"/> (wire id), or null if no such lattice.</summary>
    public async Task<string?> TenantOfAsync(string latticeId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return await db.Lattices.IgnoreQueryFilters().AsNoTracking().Where(l => l.LatticeId == latticeId).Select(l => l.Tenant!.Slug).SingleOrDefaultAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var lazy in _connections.Values)
        {
            if (!lazy.IsValueCreated || !lazy.Value.IsCompletedSuccessfully) continue;
            await lazy.Value.Result.DisposeAsync();
        }

        _connections.Clear();
    }
}
