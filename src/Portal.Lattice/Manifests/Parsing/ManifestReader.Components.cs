using System.Runtime.CompilerServices;

namespace Portal.Lattice.Manifests;

internal sealed partial class ManifestReader
{
    private ManifestComponent? ReadComponent(SourceNode node, string path)
    {
        var fields = Fields(node, path, Strictness.WarnUnknown, "name", "type", "properties", "traits");
        if (fields is null)
        {
            return null;
        }
        var name = RequiredString(fields, "name");
        var type = Required(fields, "type", ReadComponentType);
        var properties = Required(fields, "properties", ReadComponentProperties);
        var traits = Optional(fields, "traits", (n, p) => List(n, p, ReadTrait)) ?? [];
        return name is null || type is null || properties is null
            ? null
            : new ManifestComponent(name, type.Value, properties, traits);
    }

    private StrongBox<ComponentType>? ReadComponentType(SourceNode node, string path)
    {
        var text = ReadString(node, path);
        switch (text)
        {
            case null:
                return null;
            case "component" or "actor":
                return new(ComponentType.Component);
            case "capability":
                return new(ComponentType.Capability);
            default:
                Error(path, node.Position, $"unknown component type `{text}`, expected `component` (or `actor`) or `capability`");
                return null;
        }
    }

    private ComponentProperties? ReadComponentProperties(SourceNode node, string path)
    {
        var fields = Fields(node, path, Strictness.DenyUnknown, "image", "application", "id", "config", "secrets");
        if (fields is null)
        {
            return null;
        }
        var errorsBefore = _hardErrors;
        var image = OptionalString(fields, "image");
        var application = Optional(fields, "application", ReadSharedApplication);
        var id = OptionalString(fields, "id");
        var config = Optional(fields, "config", ReadConfigList) ?? [];
        var secrets = Optional(fields, "secrets", ReadSecretList) ?? [];
        return _hardErrors == errorsBefore ? new ComponentProperties(image, application, id, config, secrets) : null;
    }

    private SharedApplicationReference? ReadSharedApplication(SourceNode node, string path)
    {
        var fields = Fields(node, path, Strictness.WarnUnknown, "name", "component");
        if (fields is null)
        {
            return null;
        }
        var name = RequiredString(fields, "name");
        var component = RequiredString(fields, "component");
        return name is null || component is null ? null : new SharedApplicationReference(name, component);
    }

    private ValueList<ConfigProperty>? ReadConfigList(SourceNode node, string path) => List(node, path, ReadConfig);

    private ConfigProperty? ReadConfig(SourceNode node, string path)
    {
        var fields = Fields(node, path, Strictness.WarnUnknown, "name", "properties");
        if (fields is null)
        {
            return null;
        }
        var errorsBefore = _hardErrors;
        var name = RequiredString(fields, "name");
        var properties = Optional(fields, "properties", StringMap);
        return name is null || _hardErrors != errorsBefore ? null : new ConfigProperty(name, properties);
    }

    private ValueList<SecretProperty>? ReadSecretList(SourceNode node, string path) => List(node, path, ReadSecret);

    private SecretProperty? ReadSecret(SourceNode node, string path)
    {
        var fields = Fields(node, path, Strictness.WarnUnknown, "name", "properties");
        if (fields is null)
        {
            return null;
        }
        var name = RequiredString(fields, "name");
        var properties = Required(fields, "properties", ReadSecretSource);
        return name is null || properties is null ? null : new SecretProperty(name, properties);
    }

    private SecretSourceProperties? ReadSecretSource(SourceNode node, string path)
    {
        var fields = Fields(node, path, Strictness.WarnUnknown, "policy", "key", "field", "version");
        if (fields is null)
        {
            return null;
        }
        var errorsBefore = _hardErrors;
        var policy = RequiredString(fields, "policy");
        var key = RequiredString(fields, "key");
        var field = OptionalString(fields, "field");
        var version = OptionalString(fields, "version");
        return policy is null || key is null || _hardErrors != errorsBefore ? null : new SecretSourceProperties(policy, key, field, version);
    }
}
