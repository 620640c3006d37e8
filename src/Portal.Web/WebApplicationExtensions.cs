using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Portal.Api;
using Portal.Api.Artifacts.Oci;
using Portal.Api.Health;
using Portal.Web.Components;
using Portal.Web.Components.Account;

namespace Portal.Web;

internal static class WebApplicationExtensions
{
    public static WebApplication UsePortalWeb(this WebApplication app)
    {
        var isApi = (HttpContext http) => http.Request.Path.StartsWithSegments(PortalApi.Prefix);

        // The API answers errors with problem details; the console with its friendly pages.
        app.UseWhen(isApi, api => api.UseExceptionHandler().UseStatusCodePages());
        app.UseWhen(http => !isApi(http), console =>
        {
            if (!app.Environment.IsDevelopment()) console.UseExceptionHandler("/error", createScopeForErrors: true);
            console.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        });
        if (!app.Environment.IsDevelopment()) app.UseHsts();

        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UsePortalApiPipeline();
        app.UseAntiforgery();

        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = HealthResponseWriter.WriteAsync }).AllowAnonymous();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = "api/docs";
            ui.DocumentTitle = "Lattice Portal API";
            ui.SwaggerEndpoint("/openapi/v1.json", "Lattice Portal v1");
        });
        app.MapStaticAssets().AllowAnonymous();
        app.MapPortalApi();
        app.MapOciRegistry();
        app.MapAccountEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
