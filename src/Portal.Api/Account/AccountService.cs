using Microsoft.AspNetCore.Identity;
using Portal.Api.Database;
using Portal.Data;
using Portal.Data.Identity;

namespace Portal.Api.Account;

/// <summary>
/// The account actions of the console (sign-in, sign-out, password, two-factor), each recorded as
/// one event in the user's account chain in the same transaction as the change it makes.
/// Identity's managers save through the same DbContext, so their writes join that transaction.
/// </summary>
/// <remarks>
/// A sign-in attempt for an e-mail that has no account is not recorded: there is no account
/// (and so no chain) to hold it, and a row per guessed address would let anyone fill the table.
/// </remarks>
public sealed class AccountService(PortalDbContext db, UserManager<PortalUser> users, SignInManager<PortalUser> signIn, AccountEventWriter events)
{
    public const int RecentLimit = 20;

    public async Task<SignInResult> PasswordSignInAsync(string email, string password, bool remember, RequestOrigin origin)
    {
        var user = await users.FindByNameAsync(email);
        if (user is null) return SignInResult.Failed;
        return await db.InTransactionAsync(async () =>
        {
            var result = await signIn.PasswordSignInAsync(user, password, remember, lockoutOnFailure: true);
            var (action, detail) = Describe(result, "password");
            await events.AppendAsync(user.Id, action, detail, origin);
            return result;
        });
    }

    /// <summary>The second step: an authenticator's 6-digit code, or else a recovery code.</summary>
    public async Task<SignInResult> TwoFactorSignInAsync(string code, bool remember, RequestOrigin origin)
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null) return SignInResult.Failed;
        var digits = code.Replace(" ", "").Replace("-", "");
        var authenticator = digits.Length == 6 && digits.All(char.IsDigit);
        return await db.InTransactionAsync(async () =>
        {
            var result = authenticator
                ? await signIn.TwoFactorAuthenticatorSignInAsync(digits, remember, rememberClient: false)
                : await signIn.TwoFactorRecoveryCodeSignInAsync(code.Trim());
            var (action, detail) = Describe(result, authenticator ? "authenticator code" : "recovery code");
            await events.AppendAsync(user.Id, action, detail, origin);
            return result;
        });
    }

    public async Task SignOutAsync(Guid? userId, RequestOrigin origin)
    {
        if (userId is { } id)
        {
            await db.InTransactionAsync(async () =>
            {
                await events.AppendAsync(id, "signout", null, origin);
                return true;
            });
        }

        await signIn.SignOutAsync();
    }

    public Task<IdentityResult> RegisterAsync(PortalUser user, string password, RequestOrigin origin) =>
        db.InTransactionAsync(async () =>
        {
            var result = await users.CreateAsync(user, password);
            if (result.Succeeded) await events.AppendAsync(user.Id, "account.create", null, origin);
            return result;
        });

    /// <summary>Sets a new password with the code from a reset link.</summary>
    public async Task<IdentityResult> ResetPasswordAsync(string email, string code, string password, RequestOrigin origin)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is null) return IdentityResult.Failed(new IdentityError { Code = "InvalidToken", Description = "This reset link is not valid." });
        return await db.InTransactionAsync(async () =>
        {
            var result = await users.ResetPasswordAsync(user, code, password);
            await events.AppendAsync(user.Id, result.Succeeded ? "password.reset" : "password.reset.failed", result.Succeeded ? "reset link" : FirstError(result), origin);
            return result;
        });
    }

    /// <summary>
    /// Changes the password. The security stamp changes with it, which ends the account's other
    /// sessions; with <paramref name="staySignedIn"/> (an HTTP request that can set a cookie) this
    /// one is signed in again under the new stamp.
    /// </summary>
    public Task<IdentityResult> ChangePasswordAsync(Guid userId, string current, string password, RequestOrigin origin, bool staySignedIn = false) =>
        WithUserAsync(userId, async user =>
        {
            var result = await users.ChangePasswordAsync(user, current, password);
            await events.AppendAsync(user.Id, result.Succeeded ? "password.change" : "password.change.failed", result.Succeeded ? null : FirstError(result), origin);
            if (result.Succeeded && staySignedIn) await signIn.RefreshSignInAsync(user);
            return result;
        });

    /// <summary>A new authenticator key for setting up two-factor sign-in; returns it.</summary>
    public Task<string> ResetAuthenticatorKeyAsync(Guid userId, RequestOrigin origin) =>
        WithUserAsync(userId, async user =>
        {
            await users.ResetAuthenticatorKeyAsync(user);
            await events.AppendAsync(user.Id, "2fa.authenticator-key.reset", null, origin);
            return (await users.GetAuthenticatorKeyAsync(user))!;
        });

    /// <summary>Turns two-factor sign-in on if <paramref name="code"/> is right; returns the first recovery codes, or null.</summary>
    public Task<IReadOnlyList<string>?> EnableTwoFactorAsync(Guid userId, string code, RequestOrigin origin) =>
        WithUserAsync(userId, async user =>
        {
            if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code)) return null;
            await users.SetTwoFactorEnabledAsync(user, true);
            var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10);
            await events.AppendAsync(user.Id, "2fa.enable", "authenticator", origin);
            return (IReadOnlyList<string>?)codes?.ToList();
        });

    public Task<bool> DisableTwoFactorAsync(Guid userId, RequestOrigin origin) =>
        WithUserAsync(userId, async user =>
        {
            await users.SetTwoFactorEnabledAsync(user, false);
            await users.ResetAuthenticatorKeyAsync(user);
            await events.AppendAsync(user.Id, "2fa.disable", null, origin);
            return true;
        });

    public Task<IReadOnlyList<string>> RegenerateRecoveryCodesAsync(Guid userId, RequestOrigin origin) =>
        WithUserAsync(userId, async user =>
        {
            var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10);
            await events.AppendAsync(user.Id, "2fa.recovery-codes.regenerate", null, origin);
            return (IReadOnlyList<string>)(codes?.ToList() ?? []);
        });

    public Task<IReadOnlyList<AccountEventResponse>> RecentEventsAsync(Guid userId, CancellationToken cancellationToken = default) =>
        events.RecentAsync(userId, RecentLimit, cancellationToken);

    private async Task<T> WithUserAsync<T>(Guid userId, Func<PortalUser, Task<T>> change)
    {
        var user = await users.FindByIdAsync(userId.ToString()) ?? throw new InvalidOperationException("No such user.");
        return await db.InTransactionAsync(() => change(user));
    }

    private static (string Action, string? Detail) Describe(SignInResult result, string how) =>
        result.Succeeded ? ("signin.succeeded", how)
        : result.RequiresTwoFactor ? ("signin.second-factor-required", how)
        : result.IsLockedOut ? ("signin.locked-out", how)
        : result.IsNotAllowed ? ("signin.not-allowed", how)
        : ("signin.failed", "wrong " + how);

    private static string? FirstError(IdentityResult result) => result.Errors.FirstOrDefault()?.Code;
}
