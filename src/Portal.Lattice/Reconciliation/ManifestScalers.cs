using Portal.Lattice.Manifests;
using ManifestSpread = Portal.Lattice.Manifests.Spread;

namespace Portal.Lattice.Reconciliation;

/// <summary>
/// wadm's convert.rs (protocol notes 4.4): the scalers one manifest version becomes. Pure: the
/// same manifest always gives the same scalers and ids, so a reconciler restarted from the
/// database rebuilds exactly the scalers it had.
/// </summary>
public static class ManifestScalers
{
    /// <summary>The scalers of <paramref name="manifest"/> deployed as <paramref name="version"/> (the manifest's own version when null).</summary>
    public static AppScalers From(Manifest manifest, string? version = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var app = manifest.Name;
        var scalers = new List<ScalerSpec>();
        foreach (var component in manifest.Components)
        {
            // A reference into a shared application runs under that application: only its links are ours.
            if (!component.IsSharedReference && component.Properties.Image is { } image)
            {
                var owner = OwnerScaler(manifest, component, image);
                if (owner is not null) scalers.Add(owner);
            }

            foreach (var link in component.Links)
            {
                var scaler = Link(manifest, component, link);
                if (scaler is not null) scalers.Add(scaler);
            }
        }

        return new AppScalers(app, version ?? manifest.Version ?? "", scalers);
    }

    /// <summary>The component's or provider's own scaler, with its configs and secrets attached; null for a component without a scaler trait.</summary>
    private static ScalerSpec? OwnerScaler(Manifest manifest, ManifestComponent component, string image)
    {
        var app = manifest.Name;
        var id = ManifestNames.ComponentId(app, component);
        var (configs, names) = Configs(manifest, component.Properties.Config, component.Properties.Secrets);
        var trait = component.Scaler;
        var spreads = trait is null ? [] : trait.Properties.Spread.Select(ToSpread).ToList();
        var instances = trait is null ? 1u : (uint)Math.Max(0, trait.Properties.Instances);

        if (component.Type == ComponentType.Component)
        {
            // wadm never starts a component that has no scaler trait (its links are still put).
            return trait switch
            {
                null => null,
                { Kind: ScalerKind.Daemon } => new ComponentDaemonScaler
                {
                    AppName = app, ComponentName = component.Name, ComponentId = id, ImageRef = image, Instances = instances,
                    Spreads = spreads, ConfigNames = names, Configs = configs,
                },
                _ => new ComponentSpreadScaler
                {
                    AppName = app, ComponentName = component.Name, ComponentId = id, ImageRef = image, Instances = instances,
                    Spreads = spreads, ConfigNames = names, Configs = configs,
                },
            };
        }

        // A capability without a scaler trait gets wadm's default: a spread of one instance, no spreads.
        return trait is { Kind: ScalerKind.Daemon }
            ? new ProviderDaemonScaler
            {
                AppName = app, ComponentName = component.Name, ProviderId = id, ImageRef = image, Instances = instances,
                Spreads = spreads, ConfigNames = names, Configs = configs,
            }
            : new ProviderSpreadScaler
            {
                AppName = app, ComponentName = component.Name, ProviderId = id, ImageRef = image, Instances = instances,
                Spreads = spreads, ConfigNames = names, Configs = configs,
            };
    }

    /// <summary>A link trait on <paramref name="source"/>; null when its target is unknown or both ends are providers (wadm logs and skips those).</summary>
    private static LinkScaler? Link(Manifest manifest, ManifestComponent source, LinkTrait link)
    {
        var app = manifest.Name;
        var properties = link.Properties;
        var target = manifest.FindComponent(properties.Target.Name);
        if (target is null) return null;
        if (source.Type == ComponentType.Capability && target.Type == ComponentType.Capability) return null;

        var (sourceConfigs, sourceNames) = Configs(manifest, properties.SourceConfig, properties.SourceSecrets);
        var (targetConfigs, targetNames) = Configs(manifest, properties.Target.Config, properties.Target.Secrets);
        return new LinkScaler
        {
            AppName = app,
            SourceId = ManifestNames.ComponentId(app, source),
            TargetId = ManifestNames.ComponentId(app, target),
            Namespace = properties.Namespace,
            Package = properties.Package,
            Interfaces = [.. properties.Interfaces],
            LinkName = properties.Name,
            SourceConfigNames = sourceNames,
            TargetConfigNames = targetNames,
            Configs = [.. sourceConfigs, .. targetConfigs],
        };
    }

    /// <summary>
    /// Config and secret scalers for one owner, and the names the owner hands to the host: configs
    /// first, then secrets (wadm appends the secret names to the config list).
    /// </summary>
    private static (List<ScalerSpec> Scalers, List<string> Names) Configs(Manifest manifest, IReadOnlyList<ConfigProperty> configs, IReadOnlyList<SecretProperty> secrets)
    {
        var app = manifest.Name;
        var scalers = new List<ScalerSpec>();
        var names = new List<string>();
        foreach (var config in configs)
        {
            var name = ManifestNames.ConfigName(app, config);
            names.Add(name);
            scalers.Add(new ConfigScaler
            {
                AppName = app,
                ConfigName = name,
                Properties = config.Properties?.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            });
        }

        foreach (var secret in secrets)
        {
            // Validation refuses a secret whose policy is missing; a manifest that got here has one.
            var policy = manifest.Spec.Policies.FirstOrDefault(p => p.Name == secret.Properties.Policy);
            if (policy is null) continue;
            var name = ManifestNames.SecretName(app, secret.Name);
            names.Add(name);
            scalers.Add(new SecretScaler
            {
                AppName = app,
                SecretName = name,
                PolicyName = policy.Name,
                PolicyType = policy.Type,
                PolicyProperties = policy.Properties.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
                PropertyName = secret.Name,
                Key = secret.Properties.Key,
                Field = secret.Properties.Field,
                Version = secret.Properties.Version,
            });
        }

        return (scalers, names);
    }

    private static Spread ToSpread(ManifestSpread spread) =>
        new(spread.Name, spread.Requirements.ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal), (uint)Math.Max(0, spread.Weight));
}
