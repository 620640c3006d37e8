using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Portal.Data;

namespace Portal.Migrations;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the model without starting the web app.
/// Adding a migration needs no live database; the connection string is only a placeholder.
/// </summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PortalDbContext>()
            .UseNpgsql("Host=localhost;Database=portal_design", npgsql => npgsql.MigrationsAssembly(PortalDbContext.MigrationsAssembly))
            .Options;
        return new PortalDbContext(options);
    }
}
