namespace Portal.Api.Http;

/// <summary>
/// Marks a POST that is idempotent by its content (an upload of the same bytes under the same name
/// and tag changes nothing), so the Idempotency-Key middleware neither buffers its body to hash it
/// nor stores its answer.
/// </summary>
public sealed class NaturallyIdempotent;
