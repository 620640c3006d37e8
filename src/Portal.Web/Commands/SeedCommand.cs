using Portal.Api.Seeding;

namespace Portal.Web.Commands;

/// <summary>
/// <c>portal-web seed [--admin-email E] [--reset-admin-password]</c>: create the platform admin and the
/// demo tenant. Prints the admin's password only when it was just set: it is stored hashed.
/// </summary>
internal sealed class SeedCommand : IPortalCommand
{
    public async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        var email = CommandLine.Option(args, "--admin-email") ?? "admin@portal.local";
        await using var scope = services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<DemoSeeder>()
            .SeedAsync(email, resetPassword: args.Contains("--reset-admin-password"));

        Console.WriteLine($"tenant={result.TenantSlug}");
        Console.WriteLine($"lattice={result.LatticeId}");
        Console.WriteLine($"admin={result.AdminEmail}");
        if (result.AdminPassword is not null)
        {
            Console.WriteLine($"password={result.AdminPassword}");
        }

        return 0;
    }
}
