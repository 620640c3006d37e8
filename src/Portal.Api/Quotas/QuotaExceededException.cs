using Portal.Api.Http;

namespace Portal.Api.Quotas;

/// <summary>422 with its own problem type: the change would take the tenant past a quota.</summary>
public sealed class QuotaExceededException(string detail, IReadOnlyDictionary<string, object?>? extensions = null)
    : PortalProblemException(422, "Quota exceeded", detail, "/problems/quota-exceeded")
{
    /// <summary>For counted quotas: <c>quota</c>, <c>used</c>, <c>requested</c>, <c>limit</c> and <c>setting</c>, so scripts need not parse the detail.</summary>
    public override IReadOnlyDictionary<string, object?> Extensions { get; } = extensions ?? new Dictionary<string, object?>();
}
