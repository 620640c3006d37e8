using Portal.Api;
using Portal.Web;
using Portal.Web.Commands;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddPortalApi(builder.Configuration);
builder.Services.AddPortalWeb();

var app = builder.Build();

// `portal-web migrate` and `portal-web seed` run a one-off command and exit; see Commands/.
if (CommandLine.TryGetCommand(args, out var command))
{
    return await command.RunAsync(app.Services, args);
}

app.UsePortalWeb();
await app.RunAsync();
return 0;

/// <summary>Visible to WebApplicationFactory in the test projects.</summary>
public partial class Program;
