namespace Portal.Lattice.Reconciliation;

/// <summary>
/// The annotations wadm puts on what it starts (protocol notes 3.8). We keep wadm's keys and its
/// managed-by value: wash, washboard and other wadm-aware tools recognise managed instances by them,
/// and hosts hand <c>wasmcloud.dev/appspec</c> to the secrets backend as the application name.
/// </summary>
public static class ScalerAnnotations
{
    public const string ManagedBy = "wasmcloud.dev/managed-by";
    public const string ManagedByValue = "wadm";
    public const string AppSpec = "wasmcloud.dev/appspec";
    public const string Scaler = "wasmcloud.dev/scaler";
    public const string SpreadName = "wasmcloud.dev/spread_name";

    /// <summary>managed-by and appspec: what every command of an app carries.</summary>
    public static Dictionary<string, string> ForApp(string app) => new(StringComparer.Ordinal)
    {
        [ManagedBy] = ManagedByValue,
        [AppSpec] = app,
    };

    /// <summary>The app's annotations plus the scaler id and spread name that mark an instance as a spread's own.</summary>
    public static Dictionary<string, string> ForSpread(string app, string scalerId, string spread)
    {
        var annotations = ForApp(app);
        annotations[Scaler] = scalerId;
        annotations[SpreadName] = spread;
        return annotations;
    }

    /// <summary>wadm counts an instance as a spread's when both its scaler id and spread name match.</summary>
    public static bool BelongsTo(IReadOnlyDictionary<string, string> annotations, string scalerId, string spread) =>
        annotations.TryGetValue(Scaler, out var id) && id == scalerId
        && annotations.TryGetValue(SpreadName, out var name) && name == spread;

    public static bool BelongsTo(IReadOnlyDictionary<string, string> annotations, string scalerId) =>
        annotations.TryGetValue(Scaler, out var id) && id == scalerId;
}
