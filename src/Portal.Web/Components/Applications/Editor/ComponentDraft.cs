using Portal.Lattice.Manifests;

namespace Portal.Web.Components.Applications.Editor;

/// <summary>
/// The builder's editable copy of one component: plain fields bound to inputs, turned back into
/// the immutable model by <see cref="Build"/>. Traits the builder does not edit (links, custom
/// traits) and properties it does not show (id, secrets) are carried over untouched.
/// </summary>
public sealed class ComponentDraft
{
    public const string NoScaler = "none";

    private readonly ManifestComponent _original;

    public ComponentDraft(ManifestComponent component)
    {
        _original = component;
        Name = component.Name;
        Scaler = component.Scaler?.Type ?? NoScaler;
        Instances = component.Scaler?.Properties.Instances ?? 1;
        Spreads = component.Scaler?.Properties.Spread.Select(s => new SpreadDraft { Name = s.Name, Requirements = KeyValueText.Format(s.Requirements), Weight = s.Weight }).ToList() ?? [];
        Configs = component.Properties.Config.Select(c => new ConfigDraft { Name = c.Name, Properties = KeyValueText.Format(c.Properties) }).ToList();
    }

    public string Name { get; set; }
    public string Scaler { get; set; }
    public int Instances { get; set; }
    public List<SpreadDraft> Spreads { get; }
    public List<ConfigDraft> Configs { get; }

    /// <summary>The component these fields describe, or null with <paramref name="error"/> saying which field is wrong.</summary>
    public ManifestComponent? Build(out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(Name))
        {
            error = "A component needs a name.";
            return null;
        }
        var spreads = new List<Spread>();
        foreach (var spread in Spreads)
        {
            var requirements = KeyValueText.Parse(spread.Requirements, out var problem);
            if (requirements is null)
            {
                error = $"Spread {spread.Name}: {problem}";
                return null;
            }
            spreads.Add(new Spread(spread.Name.Trim(), requirements, spread.Weight));
        }
        var configs = new List<ConfigProperty>();
        foreach (var config in Configs)
        {
            var properties = KeyValueText.Parse(config.Properties, out var problem);
            if (properties is null)
            {
                error = $"Config {config.Name}: {problem}";
                return null;
            }
            // Without properties a config is external (wadm uses it by its literal name).
            configs.Add(new ConfigProperty(config.Name.Trim(), properties.Count == 0 ? null : properties));
        }
        ScalerTrait? scaler = Scaler switch
        {
            ManifestTrait.SpreadScalerType => new ScalerTrait(ScalerKind.Spread, new ScalerProperties(Instances, ValueList.From(spreads))),
            ManifestTrait.DaemonScalerType => new ScalerTrait(ScalerKind.Daemon, new ScalerProperties(Instances, ValueList.From(spreads))),
            _ => null,
        };
        var component = _original with
        {
            Name = Name.Trim(),
            Properties = _original.Properties with { Config = ValueList.From(configs) },
        };
        return ManifestEdits.WithScaler(component, scaler);
    }
}

public sealed class SpreadDraft
{
    public string Name { get; set; } = "";
    public string Requirements { get; set; } = "";
    public int Weight { get; set; } = Spread.DefaultWeight;
}

public sealed class ConfigDraft
{
    public string Name { get; set; } = "";
    public string Properties { get; set; } = "";
}
