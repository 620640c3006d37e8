namespace Portal.Api.Http;

/// <summary>
/// A request the application refuses, with the HTTP status and wording a person should see.
/// Feature services throw these; the REST layer turns them into RFC 9457 problem details and the
/// UI shows <see cref="Exception.Message"/>, so both say the same thing.
/// </summary>
public class PortalProblemException(int status, string title, string detail, string? type = null) : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    /// <summary>A URI reference naming the kind of problem, e.g. <c>/problems/quota-exceeded</c>.</summary>
    public string? Type { get; } = type;

    /// <summary>Members added to the problem details beside the standard ones (e.g. a manifest's <c>errors</c> array).</summary>
    public virtual IReadOnlyDictionary<string, object?> Extensions { get; } = new Dictionary<string, object?>();
}

/// <summary>404. Also what a member of another tenant gets, so existence does not leak.</summary>
public sealed class NotFoundException(string detail) : PortalProblemException(404, "Not found", detail);

/// <summary>403: the caller is a member but their role or token scope does not allow this.</summary>
public sealed class ForbiddenException(string detail) : PortalProblemException(403, "Forbidden", detail);

/// <summary>409: the request conflicts with the current state (a duplicate name, the last owner...).</summary>
public sealed class ConflictException(string detail) : PortalProblemException(409, "Conflict", detail);

/// <summary>412: the If-Match ETag no longer matches; someone else changed the resource.</summary>
public sealed class PreconditionFailedException(string detail) : PortalProblemException(412, "Precondition failed", detail);

/// <summary>400 with field errors, keyed by camelCase field path.</summary>
public sealed class ValidationException(IDictionary<string, string[]> errors)
    : PortalProblemException(400, "Validation failed", Describe(errors), "/problems/validation")
{
    public IReadOnlyDictionary<string, string[]> FieldErrors { get; } = errors.AsReadOnly();

    public static ValidationException For(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });

    private static string Describe(IDictionary<string, string[]> errors) =>
        string.Join(" ", errors.SelectMany(e => e.Value));
}

/// <summary>413: the body is larger than the per-request limit; refused while reading it, before it is buffered whole.</summary>
public sealed class PayloadTooLargeException(string detail) : PortalProblemException(413, "Payload too large", detail, "/problems/payload-too-large");

/// <summary>422: the request is well-formed but its content is unacceptable (not wasm, a truncated module...).</summary>
public sealed class UnprocessableContentException(string detail, string? type = null) : PortalProblemException(422, "Unprocessable content", detail, type ?? "/problems/unprocessable-content");
