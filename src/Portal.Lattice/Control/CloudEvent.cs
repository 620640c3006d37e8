using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Lattice.Control;

/// <summary>
/// CloudEvents 1.0 in JSON structured mode, as hosts publish on <c>wasmbus.evt.{lattice}.{event}</c>.
/// <see cref="Source"/> is the publishing host's id (trust it over any host_id inside the data).
/// </summary>
public sealed record CloudEvent<T>
{
    [JsonPropertyName("specversion")]
    public string SpecVersion { get; init; } = "1.0";

    /// <summary>Time-sortable UUID, as the host's ULID-rendered-as-UUID.</summary>
    public string Id { get; init; } = Guid.CreateVersion7().ToString();

    /// <summary><c>com.wasmcloud.lattice.{event_name}</c>.</summary>
    public string Type { get; init; } = "";

    public string Source { get; init; } = "";

    [JsonPropertyName("datacontenttype")]
    public string DataContentType { get; init; } = "application/json";

    [JsonConverter(typeof(Rfc3339TimeConverter))]
    public DateTimeOffset Time { get; init; } = DateTimeOffset.UtcNow;

    public T? Data { get; init; }
}

/// <summary>Event names (the subject's last token) and their CloudEvents types.</summary>
public static class LatticeEvents
{
    public const string TypePrefix = "com.wasmcloud.lattice.";

    public const string HostStarted = "host_started";
    public const string HostStopped = "host_stopped";
    public const string HostHeartbeat = "host_heartbeat";
    public const string LabelsChanged = "labels_changed";
    public const string ComponentScaled = "component_scaled";
    public const string ComponentScaleFailed = "component_scale_failed";
    public const string ProviderStarted = "provider_started";
    public const string ProviderStartFailed = "provider_start_failed";
    public const string ProviderStopped = "provider_stopped";
    public const string HealthCheckPassed = "health_check_passed";
    public const string HealthCheckFailed = "health_check_failed";
    public const string HealthCheckStatus = "health_check_status";
    public const string LinkdefSet = "linkdef_set";
    public const string LinkdefSetFailed = "linkdef_set_failed";
    public const string LinkdefDeleted = "linkdef_deleted";
    public const string ConfigSet = "config_set";
    public const string ConfigDeleted = "config_deleted";

    public static string TypeOf(string eventName) => TypePrefix + eventName;

    /// <summary>The event name of a CloudEvents type, or null when it is not a lattice event.</summary>
    public static string? NameOf(string type) => type.StartsWith(TypePrefix, StringComparison.Ordinal) ? type[TypePrefix.Length..] : null;

    /// <summary>An event ready to publish, with a fresh id and the current time.</summary>
    public static CloudEvent<T> Create<T>(string eventName, string hostId, T data) =>
        new() { Type = TypeOf(eventName), Source = hostId, Data = data };

    /// <summary>Reads the envelope, leaving data as raw JSON to be read once the type is known.</summary>
    public static CloudEvent<JsonElement> Parse(ReadOnlySpan<byte> json) =>
        LatticeJson.Deserialize<CloudEvent<JsonElement>>(json) ?? throw new JsonException("empty event");
}
