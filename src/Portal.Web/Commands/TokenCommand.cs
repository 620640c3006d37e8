using Portal.Api.Tokens;

namespace Portal.Web.Commands;

/// <summary>
/// <c>portal-web token [--tenant SLUG] [--scopes read,write] [--email E] [--days N]</c>: issue a personal
/// access token for a user (the demo admin by default) through the same service the console uses,
/// audited as that user. Prints only the token, so scripts can capture it.
/// </summary>
internal sealed class TokenCommand : IPortalCommand
{
    public Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        var scopes = (CommandLine.Option(args, "--scopes") ?? "read,write,deploy,admin").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var days = int.TryParse(CommandLine.Option(args, "--days"), out var d) ? d : 30;
        return CommandTenant.RunAsync(services, args, "token", async (sp, context) =>
        {
            var created = await sp.GetRequiredService<TokenService>()
                .CreateAsync(context, new CreateTokenRequest($"cli {DateTime.UtcNow:yyyy-MM-dd HH:mm}", scopes, days));
            Console.WriteLine(created.Token);
        });
    }
}
