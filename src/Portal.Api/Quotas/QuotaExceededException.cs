using Portal.Api.Http;

namespace Portal.Api.Quotas;

/// <summary>422 with its own problem type: the change would take the tenant past a quota.</summary>
public sealed class QuotaExceededException(string detail) : PortalProblemException(422, "Quota exceeded", detail, "/problems/quota-exceeded");
