using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Portal.Api.Applications.Diff;
using Portal.Api.Applications.Manifests;
using Portal.Api.Http;
using Portal.Api.Tenants.Access;

namespace Portal.Api.Applications;

internal static class ApplicationEndpoints
{
    public static void MapApplicationEndpoints(this RouteGroupBuilder tenant)
    {
        var apps = tenant.MapGroup("/applications");

        tenant.MapGet("/applications", async (string? search, string? cursor, int? limit, HttpContext http, TenantContextAccessor context, ApplicationService applications) =>
                Results.Ok(await applications.ListAsync(context.Current!, search, cursor, limit, http.RequestAborted)))
            .RequireTenant(TenantPermission.Read).WithName("ListApplications")
            .WithSummary("List applications by name with their newest version and, per lattice, the deployed version and status.");

        tenant.MapPost("/applications", async (HttpContext http, TenantContextAccessor context, ApplicationService applications) =>
            {
                var (text, format) = await ManifestBody.ReadAsync(http.Request, http.RequestAborted);
                var put = await applications.PutAsync(context.Current!, text, format, http.RequestAborted);
                return Results.Created($"/api/v1/tenants/{context.Current!.Slug}/applications/{put.Application}/versions/{Uri.EscapeDataString(put.Version)}", put);
            })
            .RequireTenant(TenantPermission.Write)
            .Accepts<string>("application/yaml", "application/x-yaml", "text/yaml", "application/json")
            .Produces<ApplicationPutResponse>(StatusCodes.Status201Created)
            .WithName("PutApplication")
            .WithSummary("Put a wadm manifest (raw YAML or JSON; no Content-Type: YAML then JSON): creates the application or adds a version. "
                + "No version annotation: one is assigned (a ULID); 'latest' is refused; a used version is a 409; errors are a 422 with errors[] and store nothing.");

        apps.MapGet("/{app}", async (string app, HttpContext http, TenantContextAccessor context, ApplicationService applications) =>
                Results.Ok(await applications.GetAsync(context.Current!, app, http.RequestAborted)))
            .RequireTenant(TenantPermission.Read).WithName("GetApplication").WithSummary("An application: versions in insertion order and deployments.");

        apps.MapDelete("/{app}", async (string app, bool? undeploy, HttpContext http, TenantContextAccessor context, ApplicationService applications) =>
            {
                await applications.DeleteAsync(context.Current!, app, undeploy == true, http.RequestAborted);
                return Results.NoContent();
            })
            .RequireTenant(TenantPermission.Write).WithName("DeleteApplication")
            .WithSummary("Delete an application with its versions, deployments and timeline. Refused (409, naming the lattices) while it is deployed anywhere; "
                + "?undeploy=true undeploys it everywhere first (needs the deploy permission) and then deletes.");

        apps.MapGet("/{app}/versions/{version}", async (string app, string version, string? format, HttpContext http, TenantContextAccessor context, ApplicationService applications) =>
            {
                if (ExportFormat(format, http.Request) is { } export)
                {
                    var text = await applications.ExportAsync(context.Current!, app, version, export, http.RequestAborted);
                    return Results.Text(text, export == ManifestReader.Json ? "application/json" : "application/yaml");
                }

                var detail = await applications.GetVersionAsync(context.Current!, app, version, http.RequestAborted);
                http.Response.Headers.ETag = $"\"{detail.Version.Digest}\"";
                return Results.Ok(detail);
            })
            .RequireTenant(TenantPermission.Read).WithName("GetApplicationVersion")
            .WithSummary("One version: metadata and manifest (JSON), or the manifest alone for export with ?format=yaml|json or Accept: application/yaml.");

        apps.MapDelete("/{app}/versions/{version}", async (string app, string version, HttpContext http, TenantContextAccessor context, ApplicationService applications) =>
            {
                await applications.DeleteVersionAsync(context.Current!, app, version, http.RequestAborted);
                return Results.NoContent();
            })
            .RequireTenant(TenantPermission.Write).WithName("DeleteApplicationVersion")
            .WithSummary("Delete a version; refused (409) while it is deployed, or when it is the application's only version.");

        apps.MapGet("/{app}/diff", async (string app, string? from, string? to, HttpContext http, TenantContextAccessor context, ApplicationService applications) =>
                Results.Ok(await applications.DiffAsync(context.Current!, app, from, to, http.RequestAborted)))
            .RequireTenant(TenantPermission.Read).Produces<ApplicationDiff>().WithName("DiffApplicationVersions")
            .WithSummary("A line diff of two versions' canonical YAML (?from=&to=), as unified-diff hunks.");

        apps.MapGet("/{app}/events", async (string app, string? lattice, string? cursor, int? limit, HttpContext http, TenantContextAccessor context, ApplicationService applications) =>
                Results.Ok(await applications.EventsAsync(context.Current!, app, lattice, cursor, limit, http.RequestAborted)))
            .RequireTenant(TenantPermission.Read).WithName("ListApplicationEvents")
            .WithSummary("The application's timeline, newest first: deploys, undeploys, rollbacks, status changes and the reconciler's commands and observations.");
    }

    /// <summary>?format wins; else an Accept that asks for YAML (or JSON without HTML-ish wildcards) means the bare manifest.</summary>
    private static string? ExportFormat(string? format, HttpRequest request)
    {
        switch (format?.ToLowerInvariant())
        {
            case ManifestReader.Yaml: return ManifestReader.Yaml;
            case ManifestReader.Json: return ManifestReader.Json;
            case null or "": break;
            default: throw ValidationException.For("format", "format is yaml or json.");
        }

        var accepts = request.GetTypedHeaders().Accept ?? [];
        return accepts.Any(a => a.MediaType.Value is "application/yaml" or "application/x-yaml" or "text/yaml") ? ManifestReader.Yaml : null;
    }
}
