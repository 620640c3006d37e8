using Portal.Web.Components.Shell;
using Portal.Web.OpenApi;
using Radzen;

namespace Portal.Web;

internal static class WebServiceCollectionExtensions
{
    public static IServiceCollection AddPortalWeb(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddAuthorizationBuilder().AddConsolePolicies();
        services.AddRadzenComponents();
        services.AddHttpContextAccessor();
        services.AddScoped<ConsoleSession>();
        services.AddScoped<ProblemNotifier>();
        services.AddOpenApi("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Lattice Portal API";
            document.Info.Description = "REST API of Lattice Portal. Authenticate with a personal access token: Authorization: Bearer lpat_…";
            document.Components ??= new Microsoft.OpenApi.OpenApiComponents();
            document.Components.SecuritySchemes = new Dictionary<string, Microsoft.OpenApi.IOpenApiSecurityScheme>
            {
                ["bearer"] = new Microsoft.OpenApi.OpenApiSecurityScheme
                {
                    Type = Microsoft.OpenApi.SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "A personal access token (lpat_…) created in Settings → API tokens or with ./portal token.",
                },
            };
            document.Security = [new Microsoft.OpenApi.OpenApiSecurityRequirement { [new Microsoft.OpenApi.OpenApiSecuritySchemeReference("bearer", document)] = [] }];
            return Task.CompletedTask;
        }).AddOperationTransformer(UploadRequestBody.Describe));
        return services;
    }
}
