using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Lattice.Reconciliation;

/// <summary>
/// wadm's Status object (protocol notes 4.2), as published on <c>wadm.status.{lattice}.{app}</c>:
/// <c>{"status":{"type":"deployed"},"scalers":[…],"version":"","components":[]}</c>. <c>version</c>
/// and <c>components</c> are deprecated in wadm and always empty; <c>scalers</c> is omitted when empty.
/// </summary>
public sealed record AppStatus
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    [JsonPropertyName("status")]
    public required StatusInfo Status { get; init; }

    [JsonPropertyName("scalers")]
    public IReadOnlyList<ScalerStatus>? Scalers { get; init; }

    [JsonPropertyName("version")]
    public string Version { get; init; } = "";

    [JsonPropertyName("components")]
    public IReadOnlyList<object> Components { get; init; } = [];

    /// <summary>The aggregate over <paramref name="scalers"/> (see <see cref="StatusInfo.Aggregate"/>).</summary>
    public static AppStatus From(IReadOnlyList<ScalerStatus> scalers) => new()
    {
        Status = StatusInfo.Aggregate(scalers.Select(s => s.Status)),
        Scalers = scalers.Count == 0 ? null : scalers,
    };

    /// <summary>What wadm publishes once an app is undeployed.</summary>
    public static AppStatus UndeployedApp { get; } = new() { Status = StatusInfo.Undeployed("Manifest has been undeployed") };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static AppStatus? FromJson(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize<AppStatus>(json, Json);
}
