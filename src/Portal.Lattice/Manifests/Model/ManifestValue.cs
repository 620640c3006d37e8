namespace Portal.Lattice.Manifests;

/// <summary>Raw manifest data (custom trait properties): a scalar, a sequence or a mapping.</summary>
public abstract record ManifestValue;

/// <summary>How a scalar reads: YAML 1.2 core schema (what wadm's serde_yaml resolves), or JSON's types.</summary>
public enum ManifestScalarKind
{
    /// <summary>A string.</summary>
    String,

    /// <summary>A number; the text is in JSON form.</summary>
    Number,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary><c>null</c>.</summary>
    Null,
}

/// <summary>A scalar; numbers and booleans keep their canonical text.</summary>
public sealed record ManifestScalar(string Text, ManifestScalarKind Kind) : ManifestValue;

/// <summary>A sequence of values.</summary>
public sealed record ManifestSequence(ValueList<ManifestValue> Items) : ManifestValue;

/// <summary>A mapping with string keys, in the author's order.</summary>
public sealed record ManifestMapping(OrderedMap<ManifestValue> Entries) : ManifestValue;
