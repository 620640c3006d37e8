using System.Text;

namespace Portal.Lattice.Manifests;

/// <summary>
/// The lattice names wadm derives from a manifest (lattice-protocol.md 3.3, 3.7, 4.1): component
/// and provider IDs, owned config names and secret config names.
/// </summary>
public static class ManifestNames
{
    /// <summary>The prefix of config names that are secret references.</summary>
    public const string SecretPrefix = "SECRET_";

    /// <summary>
    /// Lower-cases <paramref name="part"/> and replaces every character that is not an ASCII letter
    /// or digit with <c>_</c> (one per character, as wadm does): <c>rust-hello-world</c> → <c>rust_hello_world</c>.
    /// </summary>
    public static string Normalize(string part)
    {
        var builder = new StringBuilder(part.Length);
        foreach (var rune in part.EnumerateRunes())
        {
            // One `_` per Unicode scalar (not per UTF-16 unit), as wadm's Rust does per char.
            var lower = Rune.ToLowerInvariant(rune);
            builder.Append(lower.IsAscii && char.IsAsciiLetterOrDigit((char)lower.Value) ? (char)lower.Value : '_');
        }
        return builder.ToString();
    }

    /// <summary>The generated ID <c>{app}-{component}</c>, both normalized.</summary>
    public static string ComponentId(string appName, string componentName) =>
        $"{Normalize(appName)}-{Normalize(componentName)}";

    /// <summary>
    /// The ID a component runs under: its <c>properties.id</c> when given; for a reference into a
    /// shared application, the ID computed with that application's name; else <c>{app}-{component}</c>.
    /// </summary>
    public static string ComponentId(string appName, ManifestComponent component)
    {
        ArgumentNullException.ThrowIfNull(component);
        if (component.Properties.Id is { } id)
        {
            return id;
        }
        return component.Properties.Application is { } shared
            ? ComponentId(shared.Name, shared.Component)
            : ComponentId(appName, component.Name);
    }

    /// <summary>The name of a config wadm owns: <c>{app}-{config}</c>, both normalized.</summary>
    public static string OwnedConfigName(string appName, string configName) =>
        $"{Normalize(appName)}-{Normalize(configName)}";

    /// <summary>The name a host sees: the owned name when the manifest gives properties, the literal name otherwise.</summary>
    public static string ConfigName(string appName, ConfigProperty config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.IsOwned ? OwnedConfigName(appName, config.Name) : config.Name;
    }

    /// <summary>The config name of a secret reference: <c>SECRET_{app}-{secret}</c>, app and secret normalized.</summary>
    public static string SecretName(string appName, string secretName) =>
        SecretPrefix + OwnedConfigName(appName, secretName);
}
