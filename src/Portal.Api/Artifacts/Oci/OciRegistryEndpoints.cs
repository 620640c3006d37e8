using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Portal.Api.Http;

namespace Portal.Api.Artifacts.Oci;

/// <summary>
/// The OCI distribution API at <c>/v2/</c> (pull and push of wasm artifacts): repositories are
/// <c>{tenant}/{name}</c>, so <c>HOST:PORT/{tenant}/{name}:{tag}</c> is an image reference for our
/// hosts, wasmCloud hosts, <c>wash push</c>/<c>pull</c> and other OCI clients. Errors are OCI error
/// JSON, never problem details or console pages. Not part of the REST API's OpenAPI document.
/// </summary>
public static class OciRegistryEndpoints
{
    private const string DigestHeader = "Docker-Content-Digest";
    private const string UploadUuidHeader = "Docker-Upload-UUID";
    private static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];

    public static RouteGroupBuilder MapOciRegistry(this IEndpointRouteBuilder endpoints)
    {
        var v2 = endpoints.MapGroup(OciRoutes.Prefix).AllowAnonymous().ExcludeFromDescription().AddEndpointFilter(HandleErrorsAsync);
        v2.MapMethods("/", GetOrHead, Base);

        var repository = v2.MapGroup("/{tenant}/{name}");
        repository.MapMethods("/manifests/{reference}", GetOrHead, GetManifest);
        repository.MapPut("/manifests/{reference}", PutManifest);
        repository.MapDelete("/manifests/{reference}", DeleteManifest);
        repository.MapMethods("/blobs/{digest}", GetOrHead, GetBlob);
        repository.MapPost("/blobs/uploads/", StartUpload);
        repository.MapGet("/blobs/uploads/{id}", UploadStatus);
        repository.MapPatch("/blobs/uploads/{id}", PatchUpload);
        repository.MapPut("/blobs/uploads/{id}", CompleteUpload);
        repository.MapDelete("/blobs/uploads/{id}", CancelUpload);
        repository.MapGet("/tags/list", ListTags);
        v2.Map("/{**rest}", Unknown);
        return v2;
    }

    /// <summary><c>GET /v2/</c>: 200 for valid credentials, 401 with the Basic challenge otherwise (how clients log in).</summary>
    private static async Task Base(HttpContext http, OciAuthenticator auth)
    {
        await auth.AuthenticateAsync(http);
        http.Response.ContentType = "application/json";
        if (!HttpMethods.IsHead(http.Request.Method)) await http.Response.WriteAsync("{}", http.RequestAborted);
    }

    private static async Task GetManifest(HttpContext http, string tenant, string name, string reference, OciAuthenticator auth, OciManifestService manifests)
    {
        var caller = await auth.AuthorizeAsync(http, tenant, OciRoutes.Repository(tenant, name), OciAccess.Pull);
        var manifest = await manifests.GetAsync(caller, name, reference, http.RequestAborted);
        var response = http.Response;
        response.ContentType = manifest.MediaType;
        response.ContentLength = manifest.Bytes.Length;
        response.Headers[DigestHeader] = manifest.Digest;
        response.Headers.ETag = $"\"{manifest.Digest}\"";
        if (!HttpMethods.IsHead(http.Request.Method)) await response.Body.WriteAsync(manifest.Bytes, http.RequestAborted);
    }

    private static async Task PutManifest(HttpContext http, string tenant, string name, string reference, OciAuthenticator auth, OciManifestService manifests)
    {
        var caller = await auth.AuthorizeAsync(http, tenant, OciRoutes.Repository(tenant, name), OciAccess.Push);
        OciNames.RequireName(tenant, name);
        var digest = await manifests.PutAsync(caller, name, reference, http.Request.Body, http.Request.ContentType, http.RequestAborted);
        http.Response.StatusCode = StatusCodes.Status201Created;
        http.Response.Headers.Location = OciRoutes.Manifest(tenant, name, digest);
        http.Response.Headers[DigestHeader] = digest;
        http.Response.ContentLength = 0;
    }

    private static async Task DeleteManifest(HttpContext http, string tenant, string name, string reference, OciAuthenticator auth, OciManifestService manifests)
    {
        var caller = await auth.AuthorizeAsync(http, tenant, OciRoutes.Repository(tenant, name), OciAccess.Push);
        await manifests.DeleteAsync(caller, name, reference, http.RequestAborted);
        http.Response.StatusCode = StatusCodes.Status202Accepted;
        http.Response.ContentLength = 0;
    }

    private static async Task GetBlob(HttpContext http, string tenant, string name, string digest, OciAuthenticator auth, OciBlobService blobs)
    {
        var caller = await auth.AuthorizeAsync(http, tenant, OciRoutes.Repository(tenant, name), OciAccess.Pull);
        var blob = await blobs.FindAsync(caller, digest, http.RequestAborted);
        var response = http.Response;
        response.ContentType = "application/octet-stream";
        response.Headers[DigestHeader] = blob.Digest;
        response.Headers.ETag = $"\"{blob.Digest}\"";
        response.Headers.AcceptRanges = "bytes";

        var (start, length) = (0L, blob.Size);
        if (RequestedRange(http, blob.Size) is { } range)
        {
            (start, length) = range;
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {start}-{start + length - 1}/{blob.Size}";
        }

        response.ContentLength = length;
        if (HttpMethods.IsHead(http.Request.Method)) return;
        await using var content = await blobs.OpenReadAsync(caller, digest, http.RequestAborted);
        await CopyRangeAsync(content, response.Body, start, length, http.RequestAborted);
    }

    private static async Task StartUpload(HttpContext http, string tenant, string name, string? digest, string? mount, OciAuthenticator auth, OciBlobService blobs)
    {
        var caller = await auth.AuthorizeAsync(http, tenant, OciRoutes.Repository(tenant, name), OciAccess.Push);
        OciNames.RequireName(tenant, name);
        if (!string.IsNullOrEmpty(mount) && await blobs.MountAsync(caller, mount, http.RequestAborted) is { } mounted)
        {
            BlobCreated(http, tenant, name, mounted.Digest);
            return;
        }

        if (!string.IsNullOrEmpty(digest))
        {
            AllowLargeBody(http);
            var stored = await blobs.PutWholeAsync(caller, name, digest, http.Request.Body, http.Request.ContentLength, http.RequestAborted);
            BlobCreated(http, tenant, name, stored.Digest);
            return;
        }

        var session = await blobs.StartAsync(caller, name, http.RequestAborted);
        UploadAccepted(http, tenant, session, StatusCodes.Status202Accepted);
    }

    private static async Task UploadStatus(HttpContext http, string tenant, string name, string id, OciAuthenticator auth, OciBlobService blobs)
    {
        var caller = await auth.AuthorizeAsync(http, tenant, OciRoutes.Repository(tenant, name), OciAccess.Push);
        var session = await blobs.StatusAsync(caller, name, id, http.RequestAborted);
        UploadAccepted(http, tenant, session, StatusCodes.Status204NoContent);
    }

    private static async Task PatchUpload(HttpContext http, string tenant, string name, string id, OciAuthenticator auth, OciBlobService blobs)
    {
        var caller = await auth.AuthorizeAsync(http, tenant, OciRoutes.Repository(tenant, name), OciAccess.Push);
        AllowLargeBody(http);
        var range = ContentRange.Parse(http.Request.Headers[HeaderNames.ContentRange]);
        var session = await blobs.AppendAsync(caller, name, id, http.Request.Body, range, http.Request.ContentLength, http.RequestAborted);
        UploadAccepted(http, tenant, session, StatusCodes.Status202Accepted);
    }

    private static async Task CompleteUpload(HttpContext http, string tenant, string name, string id, string? digest, OciAuthenticator auth, OciBlobService blobs)
    {
        var caller = await auth.AuthorizeAsync(http, tenant, OciRoutes.Repository(tenant, name), OciAccess.Push);
        AllowLargeBody(http);
        var range = ContentRange.Parse(http.Request.Headers[HeaderNames.ContentRange]);
        var stored = await blobs.CompleteAsync(caller, name, id, digest, http.Request.Body, range, http.Request.ContentLength, http.RequestAborted);
        BlobCreated(http, tenant, name, stored.Digest);
    }

    private static async Task CancelUpload(HttpContext http, string tenant, string name, string id, OciAuthenticator auth, OciBlobService blobs)
    {
        var caller = await auth.AuthorizeAsync(http, tenant, OciRoutes.Repository(tenant, name), OciAccess.Push);
        await blobs.CancelAsync(caller, name, id, http.RequestAborted);
        http.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task ListTags(HttpContext http, string tenant, string name, int? n, string? last, OciAuthenticator auth, OciManifestService manifests)
    {
        var caller = await auth.AuthorizeAsync(http, tenant, OciRoutes.Repository(tenant, name), OciAccess.Pull);
        var (tags, more) = await manifests.TagsAsync(caller, name, n, last, http.RequestAborted);
        if (more && tags.Count > 0)
        {
            http.Response.Headers.Link = $"<{OciRoutes.Prefix}/{tenant}/{name}/tags/list?n={n}&last={Uri.EscapeDataString(tags[^1])}>; rel=\"next\"";
        }

        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(JsonSerializer.Serialize(new { name = OciRoutes.Repository(tenant, name), tags }), http.RequestAborted);
    }

    /// <summary>Anything else under <c>/v2/</c>: a repository name of another shape, or an operation this registry does not offer.</summary>
    private static Task Unknown(HttpContext http, string? rest)
    {
        var path = rest ?? "";
        foreach (var operation in new[] { "/manifests/", "/blobs/", "/tags/" })
        {
            var at = path.IndexOf(operation, StringComparison.Ordinal);
            if (at < 0) continue;
            var repository = path[..at];
            if (repository.Count(c => c == '/') != 1)
            {
                throw new OciException(400, OciErrorCodes.NameInvalid, $"'{repository}' is not a repository here: repositories are named {{tenant}}/{{name}}, e.g. acme/hello", new { name = repository });
            }

            throw new OciException(405, OciErrorCodes.Unsupported, $"{http.Request.Method} {OciRoutes.Prefix}/{path} is not supported by this registry");
        }

        throw new OciException(404, OciErrorCodes.NameUnknown, $"no registry endpoint {OciRoutes.Prefix}/{path}; repositories are named {{tenant}}/{{name}}");
    }

    private static void BlobCreated(HttpContext http, string tenant, string name, string digest)
    {
        http.Response.StatusCode = StatusCodes.Status201Created;
        http.Response.Headers.Location = OciRoutes.Blob(tenant, name, digest);
        http.Response.Headers[DigestHeader] = digest;
        http.Response.ContentLength = 0;
    }

    private static void UploadAccepted(HttpContext http, string tenant, UploadState session, int status)
    {
        http.Response.StatusCode = status;
        http.Response.Headers.Location = OciRoutes.Upload(tenant, session.Repository, session.Id);
        http.Response.Headers.Range = OciRoutes.RangeOf(session.Size);
        http.Response.Headers[UploadUuidHeader] = session.Id.ToString();
        if (status != StatusCodes.Status204NoContent) http.Response.ContentLength = 0;
    }

    /// <summary>The registry enforces its own limits while it reads; Kestrel's default cap would cut larger blobs short.</summary>
    private static void AllowLargeBody(HttpContext http)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = null;
    }

    /// <summary>A single <c>Range: bytes=a-b</c> (or <c>a-</c>, or suffix <c>-n</c>) as (start, length); null serves the whole blob.</summary>
    private static (long Start, long Length)? RequestedRange(HttpContext http, long size)
    {
        var header = http.Request.Headers.Range.ToString();
        if (string.IsNullOrEmpty(header) || !RangeHeaderValue.TryParse(header, out var parsed) || parsed.Unit != "bytes" || parsed.Ranges.Count != 1) return null;
        var range = parsed.Ranges.Single();
        long start, end;
        if (range.From is { } from)
        {
            start = from;
            end = Math.Min(range.To ?? size - 1, size - 1);
        }
        else
        {
            var suffix = Math.Min(range.To ?? 0, size);
            (start, end) = (size - suffix, size - 1);
        }

        if (start >= size || end < start)
        {
            var error = new OciException(416, OciErrorCodes.RangeInvalid, $"range {header} is outside the blob's {size} bytes");
            error.Headers[HeaderNames.ContentRange] = $"bytes */{size}";
            throw error;
        }

        return (start, end - start + 1);
    }

    /// <summary>
    /// Copies <paramref name="length"/> bytes after skipping <paramref name="skip"/>, in writes of up to
    /// 256 KiB: each response write is a flush, and the store hands out its chunks in small reads.
    /// </summary>
    private static async Task CopyRangeAsync(Stream source, Stream destination, long skip, long length, CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            while (skip > 0)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, skip)), cancellationToken);
                if (read == 0) return;
                skip -= read;
            }

            while (length > 0)
            {
                var want = (int)Math.Min(buffer.Length, length);
                var filled = 0;
                while (filled < want)
                {
                    var read = await source.ReadAsync(buffer.AsMemory(filled, want - filled), cancellationToken);
                    if (read == 0) break;
                    filled += read;
                }

                if (filled == 0) return;
                await destination.WriteAsync(buffer.AsMemory(0, filled), cancellationToken);
                length -= filled;
                if (filled < want) return;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>OCI errors for every refusal, in the registry's JSON; status code pages and console error pages stay out of it.</summary>
    private static async ValueTask<object?> HandleErrorsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Features.Get<IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
        http.Response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
        OciException error;
        try
        {
            return await next(context);
        }
        catch (Exception) when (http.Response.HasStarted)
        {
            throw; // mid-stream: nothing sensible can be sent any more; the connection is cut
        }
        catch (OciException e)
        {
            error = e;
        }
        catch (PortalProblemException e)
        {
            error = OciErrors.From(e);
        }
        catch (BadHttpRequestException e)
        {
            error = new OciException(e.StatusCode, e.StatusCode == 413 ? OciErrorCodes.SizeInvalid : OciErrorCodes.Unsupported, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Portal.Api.Artifacts.Oci").LogError(e, "OCI request {Method} {Path} failed", http.Request.Method, http.Request.Path);
            error = new OciException(500, OciErrorCodes.Unknown, "the registry failed to handle this request; it is logged on the portal");
        }

        await OciErrors.WriteAsync(http, error);
        return Results.Empty;
    }
}
