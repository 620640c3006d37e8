using Microsoft.EntityFrameworkCore;
using Npgsql;
using Portal.Data;
using Portal.Testing.Processes;
using Xunit;

namespace Portal.Testing;

/// <summary>
/// Once per test assembly: a private PostgreSQL and a private nats-server. The schema is migrated
/// once into a template database; each test class gets a fresh copy of it in milliseconds.
/// Register with <c>[assembly: AssemblyFixture(typeof(PortalServers))]</c>.
/// </summary>
public sealed class PortalServers : IAsyncLifetime
{
    private const string TemplateDatabase = "portal_template";
    private int _databases;

    public PostgresServer Postgres { get; private set; } = null!;

    public NatsServer Nats { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var postgres = PostgresServer.StartAsync();
        var nats = NatsServer.StartAsync();
        Postgres = await postgres;
        Nats = await nats;

        await ExecuteAsync($"CREATE DATABASE {TemplateDatabase}");
        await using (var db = CreateContext(Postgres.ConnectionString(TemplateDatabase)))
        {
            await db.Database.MigrateAsync();
            // Every test database starts with the catalog's plans, as ./portal up's does.
            await new Portal.Api.Seeding.PlanSeeder(db, new Portal.Api.Audit.AuditWriter(db, TimeProvider.System)).SeedAsync();
        }

        // A template cannot be copied while anyone is connected to it.
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>A new database with the current schema and the catalog's plans (free, the default, and team), nothing else; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"portal_t{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..30];
        await ExecuteAsync($"CREATE DATABASE {name} TEMPLATE {TemplateDatabase}");
        return Postgres.ConnectionString(name);
    }

    public static PortalDbContext CreateContext(string connectionString) =>
        new(new DbContextOptionsBuilder<PortalDbContext>()
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(PortalDbContext.MigrationsAssembly))
            .Options);

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Postgres.ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Nats is not null) await Nats.DisposeAsync();
        if (Postgres is not null) await Postgres.DisposeAsync();
    }
}
