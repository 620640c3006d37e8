using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Api.Deployments;

/// <summary>
/// "Something about this deployment changed; ask again." Carries only identifiers, never the
/// status itself: subscribers re-query through the services, which apply tenant scope and roles.
/// A null <see cref="Application"/> means any of the tenant's applications may have changed
/// (sent after the listener was down and notices may have been missed).
/// </summary>
public sealed record DeploymentStatusNotice(Guid TenantId, string? Application, string? LatticeId)
{
    /// <summary>Whether a page showing <paramref name="application"/> should re-query.</summary>
    public bool Concerns(string application) => Application is null || Application == application;
}

/// <summary>The NOTIFY payload: the notice plus the replica that sent it (short keys: Postgres caps payloads at 8000 bytes).</summary>
internal sealed record DeploymentStatusPayload(
    [property: JsonPropertyName("o")] string? Origin,
    [property: JsonPropertyName("t")] Guid TenantId,
    [property: JsonPropertyName("a")] string Application,
    [property: JsonPropertyName("l")] string LatticeId)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    public static DeploymentStatusPayload? TryParse(string json)
    {
        try
        {
            var payload = JsonSerializer.Deserialize<DeploymentStatusPayload>(json);
            return payload is { TenantId: var t, Application: not null, LatticeId: not null } && t != Guid.Empty ? payload : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
