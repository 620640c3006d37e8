using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Portal.Testing;

namespace Portal.Tests.Integration.Api;

public sealed class AuditTrailTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    private readonly PortalScenario _scenario = new(portal);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpClient> TenantWithHistoryAsync(string slug)
    {
        var owner = await _scenario.UserAsync($"{slug}@example.test");
        await _scenario.TenantAsync(owner, slug);
        var client = _scenario.Client(await _scenario.TokenAsync(slug, owner, "read", "admin"));
        foreach (var name in new[] { "dev", "staging", "prod" }) await client.PostAsJsonAsync($"/api/v1/tenants/{slug}/lattices", new { name }, Ct);
        return client;
    }

    [Fact]
    public async Task An_intact_chain_verifies()
    {
        var client = await TenantWithHistoryAsync("intact");
        var result = await client.GetFromJsonAsync<JsonElement>("/api/v1/tenants/intact/audit/verify", Ct);
        Assert.True(result.GetProperty("valid").GetBoolean());
        Assert.Equal(5, result.GetProperty("eventsChecked").GetInt64());
    }

    [Fact]
    public async Task The_database_refuses_updates_and_deletes_of_audit_rows()
    {
        await TenantWithHistoryAsync("append-only");
        await using var connection = new NpgsqlConnection(portal.ConnectionString);
        await connection.OpenAsync(Ct);
        var update = new NpgsqlCommand("""UPDATE audit_events SET "Action" = 'x'""", connection);
        var delete = new NpgsqlCommand("DELETE FROM audit_events", connection);

        var updateError = await Assert.ThrowsAsync<PostgresException>(() => update.ExecuteNonQueryAsync(Ct));
        var deleteError = await Assert.ThrowsAsync<PostgresException>(() => delete.ExecuteNonQueryAsync(Ct));
        Assert.Contains("append-only", updateError.MessageText);
        Assert.Contains("append-only", deleteError.MessageText);
    }

    [Fact]
    public async Task Verification_names_the_first_row_altered_behind_the_portals_back()
    {
        var client = await TenantWithHistoryAsync("tampered");
        await using (var connection = new NpgsqlConnection(portal.ConnectionString))
        {
            await connection.OpenAsync(Ct);
            // What an attacker with superuser access would do: switch the guard off, rewrite history.
            await new NpgsqlCommand("""
                ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update;
                UPDATE audit_events SET "After" = '{"name":"evil"}' WHERE "Sequence" = 3 AND "TenantId" = (SELECT "Id" FROM tenants WHERE "Slug" = 'tampered');
                ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update;
                """, connection).ExecuteNonQueryAsync(Ct);
        }

        var result = await client.GetFromJsonAsync<JsonElement>("/api/v1/tenants/tampered/audit/verify", Ct);
        Assert.False(result.GetProperty("valid").GetBoolean());
        Assert.Equal(3, result.GetProperty("firstBrokenSequence").GetInt64());
    }

    [Fact]
    public async Task The_trail_filters_searches_and_exports()
    {
        var client = await TenantWithHistoryAsync("searchable");

        var lattices = await client.GetFromJsonAsync<JsonElement>("/api/v1/tenants/searchable/audit?action=lattice", Ct);
        Assert.Equal(3, lattices.GetProperty("items").GetArrayLength());
        var search = await client.GetFromJsonAsync<JsonElement>("/api/v1/tenants/searchable/audit?q=stag", Ct);
        Assert.Equal("staging", Assert.Single(search.GetProperty("items").EnumerateArray()).GetProperty("targetId").GetString());

        var csv = await client.GetStringAsync("/api/v1/tenants/searchable/audit/export?format=csv&action=lattice.create", Ct);
        var lines = csv.TrimEnd().Split('\n');
        Assert.StartsWith("sequence,occurredAt", lines[0]);
        Assert.Equal(4, lines.Length);
        var json = await client.GetFromJsonAsync<JsonElement>("/api/v1/tenants/searchable/audit/export?format=json", Ct);
        Assert.Equal(5, json.GetArrayLength());
        var bad = await client.GetAsync("/api/v1/tenants/searchable/audit/export?format=xml", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
