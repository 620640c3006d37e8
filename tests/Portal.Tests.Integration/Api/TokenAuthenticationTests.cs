using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Testing;

namespace Portal.Tests.Integration.Api;

public sealed class TokenAuthenticationTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    private readonly PortalScenario _scenario = new(portal);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_token_is_stored_hashed_shown_once_and_records_its_last_use()
    {
        var owner = await _scenario.UserAsync("tokens@example.test");
        await _scenario.TenantAsync(owner, "tokens");
        var token = await _scenario.TokenAsync("tokens", owner, "read");

        await using (var db = portal.CreateDbContext())
        {
            var row = await db.PersonalAccessTokens.IgnoreQueryFilters().SingleAsync(t => t.User!.Email == "tokens@example.test", Ct);
            Assert.DoesNotContain(row.SecretHash, token);
            Assert.Null(row.LastUsedAt);
        }

        var me = await _scenario.Client(token).GetFromJsonAsync<JsonElement>("/api/v1/me", Ct);
        Assert.Equal("tokens@example.test", me.GetProperty("email").GetString());
        Assert.Equal(["read"], me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        var listed = await _scenario.Client(token).GetFromJsonAsync<JsonElement>("/api/v1/tenants/tokens/tokens", Ct);
        Assert.DoesNotContain(token, listed.GetRawText());
        Assert.NotNull(listed[0].GetProperty("lastUsedAt").GetString());
    }

    [Theory]
    [InlineData("lpat_not-a-token")]
    [InlineData("lpat_0123456789abcdef0123456789abcdef_wrongsecret")]
    [InlineData("ghp_someone-elses-token")]
    public async Task A_bad_token_gets_401_problem_details(string token)
    {
        var response = await _scenario.Client(token).GetAsync("/api/v1/me", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_token_cannot_mint_a_broader_token_and_new_secrets_are_never_replayed()
    {
        var owner = await _scenario.UserAsync("narrow@example.test");
        await _scenario.TenantAsync(owner, "narrow");
        var client = _scenario.Client(await _scenario.TokenAsync("narrow", owner, "read", "admin"));

        var broader = await client.PostAsJsonAsync("/api/v1/tenants/narrow/tokens", new { name = "wider", scopes = new[] { "read", "deploy" } }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, broader.StatusCode);

        HttpRequestMessage Create() => new(HttpMethod.Post, "/api/v1/tenants/narrow/tokens")
        {
            Content = JsonContent.Create(new { name = "same", scopes = new[] { "read" } }),
            Headers = { { "Idempotency-Key", "tok-1" } },
        };
        var first = await (await client.SendAsync(Create(), Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var second = await client.SendAsync(Create(), Ct);
        Assert.False(second.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual(first.GetProperty("token").GetString(), (await second.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("token").GetString());
        await using var db = portal.CreateDbContext();
        Assert.False(await db.IdempotencyRecords.AnyAsync(r => r.Key == "tok-1", Ct));
    }

    [Fact]
    public async Task Signing_out_needs_the_forms_antiforgery_token()
    {
        using var client = portal.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.PostAsync("/account/logout", new FormUrlEncodedContent([]), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_revoked_token_stops_working_at_once()
    {
        var owner = await _scenario.UserAsync("revoke@example.test");
        await _scenario.TenantAsync(owner, "revoke");
        var admin = _scenario.Client(await _scenario.TokenAsync("revoke", owner, "read", "admin"));
        var victim = await _scenario.TokenAsync("revoke", owner, "read");
        var victimClient = _scenario.Client(victim);
        Assert.Equal(HttpStatusCode.OK, (await victimClient.GetAsync("/api/v1/me", Ct)).StatusCode);

        var tokens = await admin.GetFromJsonAsync<JsonElement>("/api/v1/tenants/revoke/tokens", Ct);
        var id = tokens.EnumerateArray().First(t => victim.StartsWith(t.GetProperty("prefix").GetString()!, StringComparison.Ordinal) && t.GetProperty("scopes").GetArrayLength() == 1).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/tenants/revoke/tokens/{id}", Ct)).StatusCode);

        var after = await victimClient.GetAsync("/api/v1/me", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("revoked", await after.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Token_requests_past_the_rate_limit_get_429_with_retry_after()
    {
        await using var limited = portal.WithWebHostBuilder(b => b.UseSetting("Portal:RequestsPerMinutePerToken", "3"));
        var scenario = new PortalScenario(portal);
        var owner = await scenario.UserAsync("limits@example.test");
        await scenario.TenantAsync(owner, "limits");
        var token = await scenario.TokenAsync("limits", owner, "read");
        var client = limited.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 5; i++) statuses.Add((last = await client.GetAsync("/api/v1/me", Ct)).StatusCode);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.True(int.Parse(last!.Headers.GetValues("Retry-After").Single()) >= 1);
    }
}
