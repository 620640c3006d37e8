using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Portal.Api.Http;
using Portal.Api.Tenants.Access;

namespace Portal.Api.Artifacts;

internal static class ArtifactEndpoints
{
    public static void MapArtifactEndpoints(this RouteGroupBuilder tenant)
    {
        tenant.MapGet("/artifacts", async (string? search, string? kind, string? cursor, int? limit, HttpContext http, TenantContextAccessor context, ArtifactService artifacts) =>
                Results.Ok(await artifacts.ListAsync(context.Current!, search, kind, cursor, limit, http.RequestAborted)))
            .RequireTenant(TenantPermission.Read).WithName("ListArtifacts").WithSummary("List actors; search matches name, tag and interfaces.");

        tenant.MapPost("/artifacts", async (string? name, string? tag, HttpContext http, TenantContextAccessor context, ArtifactService artifacts) =>
            {
                // The service enforces the real limits while it reads; Kestrel's default cap would cut larger uploads short.
                if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = null;
                var upload = await ArtifactUploadBody.ReadAsync(http.Request, name, tag, http.RequestAborted);
                var result = await artifacts.UploadAsync(context.Current!, upload.Name, upload.Tag, upload.Content, upload.Length, http.RequestAborted);
                var location = $"/api/v1/tenants/{context.Current!.Slug}/artifacts/{result.Artifact.Name}/{result.Artifact.Tag}";
                return result.Created ? Results.Created(location, result) : Results.Ok(result);
            })
            .RequireTenant(TenantPermission.Write).WithMetadata(new NaturallyIdempotent())
            .Produces<ArtifactUploadResponse>(StatusCodes.Status201Created)
            .WithName("UploadArtifact")
            .WithSummary("Upload a wasm module or component: the raw bytes with ?name=&tag=, or multipart with fields name, tag and file.");

        tenant.MapGet("/artifacts/{name}/{tag}", async (string name, string tag, HttpContext http, TenantContextAccessor context, ArtifactService artifacts) =>
            {
                var detail = await artifacts.GetAsync(context.Current!, name, tag, http.RequestAborted);
                http.Response.Headers.ETag = $"\"{detail.Artifact.Digest}\"";
                return Results.Ok(detail);
            })
            .RequireTenant(TenantPermission.Read).WithName("GetArtifact");

        tenant.MapGet("/artifacts/{name}/{tag}/content", async (string name, string tag, HttpContext http, TenantContextAccessor context, ArtifactService artifacts) =>
            {
                var (artifact, content) = await artifacts.OpenContentAsync(context.Current!, name, tag, http.RequestAborted);
                http.Response.Headers.ContentLength = artifact.Size;
                http.Response.Headers["Docker-Content-Digest"] = artifact.Digest;
                return Results.Stream(content, "application/wasm", $"{artifact.Name}-{artifact.Tag}.wasm", entityTag: new EntityTagHeaderValue($"\"{artifact.Digest}\""));
            })
            .RequireTenant(TenantPermission.Read).WithName("GetArtifactContent").WithSummary("Download the wasm bytes.");

        tenant.MapDelete("/artifacts/{name}/{tag}", async (string name, string tag, HttpContext http, TenantContextAccessor context, ArtifactService artifacts) =>
            {
                await artifacts.DeleteAsync(context.Current!, name, tag, http.RequestAborted);
                return Results.NoContent();
            })
            .RequireTenant(TenantPermission.Write).WithName("DeleteArtifact").WithSummary("Delete a tag; refused (409) while a deployed application uses it.");
    }
}
