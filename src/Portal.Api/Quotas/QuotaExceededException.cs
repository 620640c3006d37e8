using Portal.Api.Http;

namespace Portal.Api.Quotas;

/// <summary>422 with its own problem type: the change would take the tenant past a quota.</summary>
public sealed class QuotaExceededException(string detail, IReadOnlyDictionary<string, object?>? extensions = null)
    : PortalProblemException(422, "Quota exceeded", detail, "/problems/quota-exceeded")
{
    /// <summary>
    /// <c>quota</c>, <c>used</c>, <c>requested</c>, <c>limit</c>, <c>plan</c> and <c>setting</c> (how to
    /// raise the limit), so scripts need not parse the detail.
    /// </summary>
    public override IReadOnlyDictionary<string, object?> Extensions { get; } = extensions ?? new Dictionary<string, object?>();

    /// <summary>
    /// The one shape of every quota refusal: "{what}: {lead} (limit {source}). {remedy}, or upgrade
    /// the plan / ask a platform administrator." The console shows <see cref="Exception.Message"/>, the same words.
    /// </summary>
    public static QuotaExceededException For(QuotaLimit limit, long used, long requested, string what, string lead, string remedy) => new(
        $"{what}: {lead} (limit {limit.Source}). {remedy}, or upgrade the plan or ask a platform administrator to raise {QuotaWords.Of(limit.Unit)}.",
        Fields(limit, used, requested));

    public static Dictionary<string, object?> Fields(QuotaLimit limit, long used, long requested) => new()
    {
        ["quota"] = QuotaWords.Key(limit.Unit),
        ["used"] = used,
        ["requested"] = requested,
        ["limit"] = limit.Limit,
        ["plan"] = limit.PlanName,
        ["setting"] = limit.HowToRaise,
    };
}
