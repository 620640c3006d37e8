using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Lattice.Control;

/// <summary>
/// The one JSON setup for the control interface and events: snake_case names (as the Rust types
/// serialize), nulls omitted unless a property says otherwise. Dictionary keys are kept verbatim.
/// </summary>
public static class LatticeJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.General)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static T? Deserialize<T>(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize<T>(json, Options);
}
