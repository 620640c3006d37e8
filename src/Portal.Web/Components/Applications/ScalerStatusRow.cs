using System.Text.Json;

namespace Portal.Web.Components.Applications;

/// <summary>One of wadm's scaler statuses (<c>{id, kind, name, status: {type, message}}</c>), read leniently: it is stored as the reconciler sent it.</summary>
public sealed record ScalerStatusRow(string Kind, string Name, string Status, string? Message)
{
    public static IReadOnlyList<ScalerStatusRow> From(JsonElement scalers)
    {
        if (scalers.ValueKind != JsonValueKind.Array) return [];
        return scalers.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object).Select(s => new ScalerStatusRow(
            Text(s, "kind") ?? "scaler",
            Text(s, "name") ?? Text(s, "id") ?? "",
            s.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object ? Text(status, "type") ?? "unknown" : "unknown",
            s.TryGetProperty("status", out var st) && st.ValueKind == JsonValueKind.Object ? Text(st, "message") : null)).ToList();
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
