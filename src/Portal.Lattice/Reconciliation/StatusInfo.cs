using System.Text.Json.Serialization;

namespace Portal.Lattice.Reconciliation;

/// <summary>wadm's StatusType; serialised lower-case (<c>"deployed"</c>) as wadm does.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StatusType>))]
public enum StatusType
{
    [JsonStringEnumMemberName("undeployed")] Undeployed,
    [JsonStringEnumMemberName("reconciling")] Reconciling,
    [JsonStringEnumMemberName("deployed")] Deployed,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("waiting")] Waiting,
    [JsonStringEnumMemberName("unhealthy")] Unhealthy,
}

/// <summary>A status word and its message: <c>{"type":"reconciling","message":"…"}</c>, message omitted when empty.</summary>
public sealed record StatusInfo
{
    public StatusInfo(StatusType type, string message = "")
    {
        Type = type;
        Message = message;
    }

    [JsonPropertyName("type")]
    public StatusType Type { get; init; }

    [JsonIgnore]
    public string Message { get; init; }

    /// <summary>wadm leaves an empty message out of the JSON.</summary>
    [JsonPropertyName("message"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? WireMessage
    {
        get => Message.Length == 0 ? null : Message;
        init => Message = value ?? "";
    }

    public static StatusInfo Deployed() => new(StatusType.Deployed);

    public static StatusInfo Reconciling(string message) => new(StatusType.Reconciling, message);

    public static StatusInfo Failed(string message) => new(StatusType.Failed, message);

    public static StatusInfo Waiting(string message) => new(StatusType.Waiting, message);

    public static StatusInfo Undeployed(string message = "") => new(StatusType.Undeployed, message);

    /// <summary>
    /// wadm's fold over scaler statuses: the most severe word wins (failed › undeployed › waiting ›
    /// reconciling › unhealthy › deployed), no scalers → undeployed, and the non-empty messages are
    /// joined with ", ".
    /// </summary>
    public static StatusInfo Aggregate(IEnumerable<StatusInfo> statuses)
    {
        var list = statuses.ToList();
        if (list.Count == 0) return Undeployed();
        var type = list.Select(s => s.Type).MaxBy(Severity);
        return new StatusInfo(type, string.Join(", ", list.Select(s => s.Message).Where(m => m.Length > 0)));
    }

    private static int Severity(StatusType type) => type switch
    {
        StatusType.Failed => 5,
        StatusType.Undeployed => 4,
        StatusType.Waiting => 3,
        StatusType.Reconciling => 2,
        StatusType.Unhealthy => 1,
        _ => 0,
    };
}

/// <summary>One scaler in an app's status: <c>{"id","kind","name","status"}</c>.</summary>
public sealed record ScalerStatus(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("status")] StatusInfo Status);
