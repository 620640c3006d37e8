using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Portal.Api.Http;
using Portal.Api.Quotas;

namespace Portal.Api.Artifacts.Oci;

/// <summary>The error codes of the OCI distribution spec (and docker's UNKNOWN for the unexpected).</summary>
public static class OciErrorCodes
{
    public const string BlobUnknown = "BLOB_UNKNOWN";
    public const string BlobUploadInvalid = "BLOB_UPLOAD_INVALID";
    public const string BlobUploadUnknown = "BLOB_UPLOAD_UNKNOWN";
    public const string DigestInvalid = "DIGEST_INVALID";
    public const string ManifestBlobUnknown = "MANIFEST_BLOB_UNKNOWN";
    public const string ManifestInvalid = "MANIFEST_INVALID";
    public const string ManifestUnknown = "MANIFEST_UNKNOWN";
    public const string NameInvalid = "NAME_INVALID";
    public const string NameUnknown = "NAME_UNKNOWN";
    public const string SizeInvalid = "SIZE_INVALID";
    public const string Unauthorized = "UNAUTHORIZED";
    public const string Denied = "DENIED";
    public const string Unsupported = "UNSUPPORTED";
    public const string RangeInvalid = "RANGE_INVALID";
    public const string Unknown = "UNKNOWN";
}

/// <summary>
/// A registry request refused with an OCI error: the HTTP status, the spec's code and a message a
/// person can act on. Answered as <c>{"errors":[{"code":…,"message":…,"detail":…}]}</c>.
/// </summary>
public sealed class OciException(int status, string code, string message, object? detail = null) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public object? Detail { get; } = detail;

    /// <summary>Extra response headers (e.g. the upload's Range on a 416).</summary>
    public Dictionary<string, string> Headers { get; } = [];

    public static OciException NameUnknown(string repository) =>
        new(404, OciErrorCodes.NameUnknown, $"repository {repository} is not known to this registry (or you may not see it)", new { name = repository });

    public static OciException BlobUnknown(string digest) =>
        new(404, OciErrorCodes.BlobUnknown, $"blob {digest} is not stored in this tenant", new { digest });

    public static OciException DigestInvalid(string message, string? digest = null) =>
        new(400, OciErrorCodes.DigestInvalid, message, digest is null ? null : new { digest });

    public static OciException ManifestInvalid(string message) => new(400, OciErrorCodes.ManifestInvalid, message);

    public static OciException UploadUnknown(string id) =>
        new(404, OciErrorCodes.BlobUploadUnknown, $"upload {id} is not in progress (finished, cancelled, or abandoned too long ago); start a new one with POST …/blobs/uploads/");

    public static OciException Denied(string message) => new(403, OciErrorCodes.Denied, message);
}

public static class OciErrors
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Feature-service refusals reused by the registry, said in the registry's words.</summary>
    public static OciException From(PortalProblemException problem) => problem switch
    {
        PayloadTooLargeException => new OciException(413, OciErrorCodes.SizeInvalid, problem.Message),
        QuotaExceededException => new OciException(403, OciErrorCodes.Denied, problem.Message),
        NotFoundException => new OciException(404, OciErrorCodes.NameUnknown, problem.Message),
        ForbiddenException => new OciException(403, OciErrorCodes.Denied, problem.Message),
        ValidationException => new OciException(400, OciErrorCodes.NameInvalid, problem.Message),
        UnprocessableContentException => new OciException(400, OciErrorCodes.ManifestInvalid, problem.Message),
        ConflictException => new OciException(409, OciErrorCodes.Denied, problem.Message),
        _ => new OciException(problem.Status, OciErrorCodes.Unknown, problem.Message),
    };

    public static async Task WriteAsync(HttpContext http, OciException error)
    {
        var response = http.Response;
        response.StatusCode = error.Status;
        foreach (var (name, value) in error.Headers) response.Headers[name] = value;
        if (error.Status == StatusCodes.Status401Unauthorized) response.Headers.WWWAuthenticate = OciAuthenticator.Challenge;
        if (HttpMethods.IsHead(http.Request.Method)) return;
        var body = JsonSerializer.SerializeToUtf8Bytes(new ErrorList([new ErrorItem(error.Code, error.Message, error.Detail)]), Json);
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, http.RequestAborted);
    }

    private sealed record ErrorList(IReadOnlyList<ErrorItem> Errors);

    private sealed record ErrorItem(string Code, string Message, object? Detail);
}
