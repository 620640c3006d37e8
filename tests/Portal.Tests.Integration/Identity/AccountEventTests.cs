using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.Api.Account;
using Portal.Data.Identity;
using Portal.Testing;
using Portal.Testing.Identity;

namespace Portal.Tests.Integration.Identity;

/// <summary>
/// Account actions (sign-in, sign-out, password, two-factor) are recorded in the user's own
/// hash-chained, append-only stream, in the transaction of the change.
/// </summary>
public sealed class AccountEventTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    private static readonly RequestOrigin Origin = new("203.0.113.7", "test-browser/1.0", "corr-1");
    private readonly PortalScenario _scenario = new(portal);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sign_in_failures_successes_and_lockout_are_recorded_for_the_account()
    {
        var user = await _scenario.UserAsync("signin-events@example.test");

        var wrong = await AsBrowserAsync(a => a.PasswordSignInAsync("signin-events@example.test", "not-the-password", false, Origin));
        var right = await AsBrowserAsync(a => a.PasswordSignInAsync("signin-events@example.test", PortalScenario.Password, false, Origin));
        await AsBrowserAsync(a => a.PasswordSignInAsync("nobody@example.test", "whatever-password", false, Origin));
        for (var i = 0; i < 5; i++) await AsBrowserAsync(a => a.PasswordSignInAsync("signin-events@example.test", "not-the-password", false, Origin));

        Assert.False(wrong.Succeeded);
        Assert.True(right.Succeeded);
        var events = await EventsAsync(user.Id);
        Assert.Equal(["signin.failed", "signin.succeeded", "signin.failed", "signin.failed", "signin.failed", "signin.failed", "signin.locked-out"], events.Select(e => e.Action));
        Assert.Equal("wrong password", events[0].Detail);
        Assert.All(events, e => Assert.Equal(("203.0.113.7", "test-browser/1.0"), (e.IpAddress, e.UserAgent)));
        await using var db = portal.CreateDbContext();
        // The unknown address left nothing behind: there is no account to hold it.
        Assert.Equal(0, await db.AccountEvents.CountAsync(e => !db.Users.Any(u => u.Id == e.UserId), Ct));
    }

    [Fact]
    public async Task Password_changes_resets_and_sign_out_are_recorded_and_chained()
    {
        var user = await _scenario.UserAsync("password-events@example.test");

        var mismatch = await AsBrowserAsync(a => a.ChangePasswordAsync(user.Id, "not-the-password", "a-brand-new-password", Origin));
        var changed = await AsBrowserAsync(a => a.ChangePasswordAsync(user.Id, PortalScenario.Password, "a-brand-new-password", Origin));
        var code = await portal.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<PortalUser>>();
            return await users.GeneratePasswordResetTokenAsync((await users.FindByIdAsync(user.Id.ToString()))!);
        });
        var reset = await AsBrowserAsync(a => a.ResetPasswordAsync("password-events@example.test", code, PortalScenario.Password, Origin));
        await AsBrowserAsync(async a => { await a.SignOutAsync(user.Id, Origin); return true; });

        Assert.False(mismatch.Succeeded);
        Assert.True(changed.Succeeded);
        Assert.True(reset.Succeeded);
        var events = await EventsAsync(user.Id);
        Assert.Equal(["password.change.failed", "password.change", "password.reset", "signout"], events.Select(e => e.Action));
        Assert.Equal("PasswordMismatch", events[0].Detail);
        Assert.Equal(Enumerable.Range(1, 4).Select(i => (long)i), events.Select(e => e.Sequence));
        for (var i = 0; i < events.Count; i++)
        {
            Assert.Equal(i == 0 ? AccountEventHasher.Genesis : events[i - 1].Hash, events[i].PreviousHash);
            Assert.Equal(AccountEventHasher.Compute(events[i]), events[i].Hash);
        }
    }

    [Fact]
    public async Task Two_factor_changes_are_recorded_and_listed_newest_first()
    {
        var user = await _scenario.UserAsync("totp-events@example.test");
        var other = await _scenario.UserAsync("someone-else@example.test");
        await AsBrowserAsync(async a => { await a.SignOutAsync(other.Id, Origin); return true; });

        var key = await AsBrowserAsync(a => a.ResetAuthenticatorKeyAsync(user.Id, Origin));
        var codes = await AsBrowserAsync(a => a.EnableTwoFactorAsync(user.Id, Totp.Code(key, DateTimeOffset.UtcNow), Origin));
        var fresh = await AsBrowserAsync(a => a.RegenerateRecoveryCodesAsync(user.Id, Origin));
        await AsBrowserAsync(a => a.DisableTwoFactorAsync(user.Id, Origin));

        Assert.Equal(10, codes!.Count);
        Assert.Equal(10, fresh.Count);
        var recent = await AsBrowserAsync(a => a.RecentEventsAsync(user.Id, Ct));
        Assert.Equal(["2fa.disable", "2fa.recovery-codes.regenerate", "2fa.enable", "2fa.authenticator-key.reset"], recent.Select(e => e.Action));
        await using var db = portal.CreateDbContext();
        Assert.False((await db.Users.SingleAsync(u => u.Id == user.Id, Ct)).TwoFactorEnabled);
    }

    [Fact]
    public async Task The_database_refuses_to_alter_account_events()
    {
        var user = await _scenario.UserAsync("append-only-account@example.test");
        await AsBrowserAsync(async a => { await a.SignOutAsync(user.Id, Origin); return true; });
        await using var connection = new NpgsqlConnection(portal.ConnectionString);
        await connection.OpenAsync(Ct);

        var update = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand("""UPDATE account_events SET "Action" = 'x'""", connection).ExecuteNonQueryAsync(Ct));
        var delete = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand("DELETE FROM account_events", connection).ExecuteNonQueryAsync(Ct));

        Assert.Contains("append-only", update.MessageText);
        Assert.Contains("append-only", delete.MessageText);
    }

    /// <summary>Runs an account action as the console's pages do: in a request scope with an HTTP context (sign-in sets a cookie on it).</summary>
    private async Task<T> AsBrowserAsync<T>(Func<AccountService, Task<T>> action)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var accessor = scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
        accessor.HttpContext = http;
        try
        {
            return await action(scope.ServiceProvider.GetRequiredService<AccountService>());
        }
        finally
        {
            accessor.HttpContext = null;
        }
    }

    private async Task<List<AccountEvent>> EventsAsync(Guid userId)
    {
        await using var db = portal.CreateDbContext();
        return await db.AccountEvents.Where(e => e.UserId == userId).OrderBy(e => e.Sequence).ToListAsync(Ct);
    }
}
