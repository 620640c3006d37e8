namespace Portal.Lattice.Reconciliation;

/// <summary>
/// A named config (protocol notes 4.5.7). Owned (<see cref="Properties"/> given): kept equal to
/// them with config.put and deleted on cleanup. External (no properties): must exist, never touched.
/// </summary>
public sealed record ConfigScaler : ScalerSpec
{
    public const string KindName = "ConfigScaler";

    /// <summary>The config's name in the lattice (for owned configs wadm's <c>{app}-{name}</c>).</summary>
    public required string ConfigName { get; init; }

    /// <summary>The content the app owns; null for an external config.</summary>
    public IReadOnlyDictionary<string, string>? Properties { get; init; }

    public override string Kind => KindName;

    public override string Name => ConfigName;

    /// <summary>The name alone for an external config, <c>{name}-{hash of properties}</c> for an owned one.</summary>
    protected override string ComputeId() => Properties is null ? ConfigName : $"{ConfigName}-{ScalerIds.PropertiesHash(Properties)}";

    public override ScalerResult Reconcile(LatticeState state) => ConfigReconcile.Run(state, ConfigName, Properties);

    public override ScalerResult Cleanup(LatticeState state) => ConfigReconcile.Delete(state, ConfigName, Properties is not null);
}

/// <summary>A secret reference, stored as the config <c>SECRET_{app}-{name}</c> (protocol notes 3.7, 4.5.7).</summary>
public sealed record SecretScaler : ScalerSpec
{
    public const string KindName = "SecretScaler";

    /// <summary>The config name, <c>SECRET_{app}-{secret}</c>.</summary>
    public required string SecretName { get; init; }

    /// <summary>The policy the secret refers to: its name, type and properties (<c>backend</c>, …).</summary>
    public required string PolicyName { get; init; }

    public required string PolicyType { get; init; }

    public IReadOnlyDictionary<string, string> PolicyProperties { get; init; } = new Dictionary<string, string>();

    /// <summary>The secret's name in the manifest, and its properties (policy, key, field, version).</summary>
    public required string PropertyName { get; init; }

    public required string Key { get; init; }

    public string? Field { get; init; }

    public string? Version { get; init; }

    public override string Kind => KindName;

    public override string Name => SecretName;

    protected override string ComputeId() => ScalerIds.Sha256(
    [
        SecretName, PolicyName, PolicyType, PropertyName, PolicyName, Key, .. Version is null ? Array.Empty<string>() : [Version],
        .. PolicyProperties.OrderBy(p => p.Key, StringComparer.Ordinal).SelectMany(p => new[] { p.Key, p.Value }),
    ]);

    /// <summary>The reference the host resolves through the secrets backend (the value of the SECRET_ config).</summary>
    public IReadOnlyDictionary<string, string> Reference
    {
        get
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["name"] = PropertyName,
                ["backend"] = PolicyProperties.GetValueOrDefault("backend", ""),
                ["key"] = Key,
                ["policy"] = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["type"] = PolicyType,
                    ["properties"] = PolicyProperties.Where(p => p.Key != "backend").ToDictionary(p => p.Key, p => p.Value),
                }),
            };
            if (Field is not null) values["field"] = Field;
            if (Version is not null) values["version"] = Version;
            return values;
        }
    }

    public override ScalerResult Reconcile(LatticeState state) => ConfigReconcile.Run(state, SecretName, Reference);

    public override ScalerResult Cleanup(LatticeState state) => ConfigReconcile.Delete(state, SecretName, owned: true);
}

internal static class ConfigReconcile
{
    public static ScalerResult Run(LatticeState state, string name, IReadOnlyDictionary<string, string>? owned)
    {
        state.Configs.TryGetValue(name, out var current);
        if (owned is null)
        {
            return current is null ? new ScalerResult([], StatusInfo.Failed($"Specified configuration {name} does not exist")) : ScalerResult.Deployed();
        }

        return current is not null && Same(current, owned)
            ? ScalerResult.Deployed()
            : new ScalerResult([new PutConfig(name, owned)], StatusInfo.Reconciling("Configuration out of sync"));
    }

    /// <summary>Deletes an owned config while it exists (config.del always succeeds: unconditional deletes would repeat every pass).</summary>
    public static ScalerResult Delete(LatticeState state, string name, bool owned) =>
        owned && state.Configs.ContainsKey(name)
            ? new ScalerResult([new DeleteConfig(name)], StatusInfo.Reconciling($"Deleting configuration {name}"))
            : ScalerResult.Deployed();

    private static bool Same(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);
}
