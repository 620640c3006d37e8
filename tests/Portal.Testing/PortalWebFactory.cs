using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Data;
using Xunit;

namespace Portal.Testing;

/// <summary>
/// The real portal (same Program, same services) on a fresh database of its own, wired to the
/// assembly's private PostgreSQL and nats-server. Use as a class fixture.
/// </summary>
public class PortalWebFactory(PortalServers servers) : WebApplicationFactory<Program>, IAsyncLifetime
{
    public PortalServers Servers { get; } = servers;

    // Outside a test project (the benchmarks) WebApplicationFactory has no generated manifest to
    // find portal-web's content root; it also reads it from this setting.
    static PortalWebFactory() =>
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_portal-web", Path.Combine(RepositoryRoot.Path, "src", "Portal.Web"));

    public string ConnectionString { get; protected set; } = "";

    /// <summary>The host environment; tests use Development (detailed errors), the benchmarks Production, as deployed.</summary>
    public string EnvironmentName { get; init; } = "Development";

    /// <summary>Whether this portal competes for the reconciler lock and reconciles its lattices.</summary>
    public virtual bool RunsReconciler => false;

    /// <summary>Whether this portal samples lattices and counts invocation reports (the metering tests turn it on).</summary>
    public virtual bool RunsMetering => false;

    /// <summary>Where this portal writes nats-server's accounts file.</summary>
    public virtual string AccountsFile { get; } = Path.Combine(Path.GetTempPath(), $"portal-accounts-{Guid.NewGuid():N}.conf");

    public virtual async ValueTask InitializeAsync() => ConnectionString = await Servers.CreateDatabaseAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        builder.UseSetting("ConnectionStrings:Portal", ConnectionString);
        builder.UseSetting("Nats:Url", Servers.Nats.Url);
        // Host credentials are on: the accounts file is written (the shared test nats-server does
        // not read it; HostCredentialTests run a server that does).
        builder.UseSetting("Nats:AccountsFile", AccountsFile);
        // Most tests write statuses themselves; a background reconciler would race them. The
        // deployment tests turn it on.
        builder.UseSetting("Portal:Reconciler:Enabled", RunsReconciler ? "true" : "false");
        // Metering observes every lattice and writes usage in the background; only its own tests want that.
        builder.UseSetting("Portal:Metering:Enabled", RunsMetering ? "true" : "false");
        var logs = Environment.GetEnvironmentVariable("PORTAL_TEST_ARTIFACTS") ?? Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(logs);
        builder.ConfigureLogging(logging => logging.AddProvider(new FileLoggerProvider(Path.Combine(logs, $"portal-{GetType().Name}-{Environment.ProcessId}.log"))));
    }

    /// <summary>A DbContext on this factory's database, for arranging and asserting.</summary>
    public PortalDbContext CreateDbContext() => PortalServers.CreateContext(ConnectionString);

    /// <summary>Runs <paramref name="action"/> with a scoped service provider of the app.</summary>
    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
