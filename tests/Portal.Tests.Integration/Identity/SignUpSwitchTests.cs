using Portal.Testing;

namespace Portal.Tests.Integration.Identity;

public sealed class SignUpSwitchTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    [Fact]
    public async Task Sign_up_is_offered_by_default_and_can_be_switched_off()
    {
        using var open = portal.CreateClient();
        Assert.Contains("Create an account", await open.GetStringAsync("/account/login", TestContext.Current.CancellationToken));
        var openRegister = await open.GetStringAsync("/account/register", TestContext.Current.CancellationToken);
        Assert.Contains("Create account", openRegister);
        Assert.Contains("name=\"Input.Password\"", openRegister);

        await using var closedPortal = portal.WithWebHostBuilder(b => b.UseSetting("Portal:AllowSignUp", "false"));
        using var closed = closedPortal.CreateClient();
        Assert.DoesNotContain("Create an account", await closed.GetStringAsync("/account/login", TestContext.Current.CancellationToken));
        var register = await closed.GetStringAsync("/account/register", TestContext.Current.CancellationToken);
        Assert.Contains("Sign-up is switched off", register);
        Assert.DoesNotContain("name=\"Input.Password\"", register);
    }
}
