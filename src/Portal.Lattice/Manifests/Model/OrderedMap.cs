using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Portal.Lattice.Manifests;

/// <summary>
/// An immutable string-keyed map that keeps the author's key order (so written manifests read
/// like the input) and compares by content regardless of order (order carries no meaning in wadm).
/// </summary>
[CollectionBuilder(typeof(OrderedMap), nameof(OrderedMap.Create))]
public sealed class OrderedMap<TValue> : IReadOnlyDictionary<string, TValue>, IEquatable<OrderedMap<TValue>>
{
    private readonly KeyValuePair<string, TValue>[] _entries;
    private readonly Dictionary<string, TValue> _lookup;

    /// <summary>The empty map.</summary>
    public static OrderedMap<TValue> Empty { get; } = new([]);

    internal OrderedMap(KeyValuePair<string, TValue>[] entries)
    {
        _lookup = new Dictionary<string, TValue>(entries.Length, StringComparer.Ordinal);
        var kept = new List<KeyValuePair<string, TValue>>(entries.Length);
        foreach (var entry in entries)
        {
            // A later duplicate replaces the value but keeps the first position, like most YAML loaders.
            if (_lookup.TryAdd(entry.Key, entry.Value))
            {
                kept.Add(entry);
            }
            else
            {
                _lookup[entry.Key] = entry.Value;
                kept[kept.FindIndex(e => e.Key == entry.Key)] = entry;
            }
        }
        _entries = [.. kept];
    }

    /// <inheritdoc />
    public TValue this[string key] => _lookup[key];

    /// <summary>Keys in insertion order.</summary>
    public IEnumerable<string> Keys => _entries.Select(e => e.Key);

    /// <summary>Values in insertion order.</summary>
    public IEnumerable<TValue> Values => _entries.Select(e => e.Value);

    /// <inheritdoc />
    public int Count => _entries.Length;

    /// <inheritdoc />
    public bool ContainsKey(string key) => _lookup.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value) => _lookup.TryGetValue(key, out value);

    /// <summary>The value of <paramref name="key"/>, or default when absent.</summary>
    public TValue? GetValueOrDefault(string key) => _lookup.GetValueOrDefault(key);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, TValue>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, TValue>>)_entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public bool Equals(OrderedMap<TValue>? other)
    {
        if (other is null || other.Count != Count)
        {
            return false;
        }
        var comparer = EqualityComparer<TValue>.Default;
        foreach (var (key, value) in _entries)
        {
            if (!other._lookup.TryGetValue(key, out var otherValue) || !comparer.Equals(value, otherValue))
            {
                return false;
            }
        }
        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as OrderedMap<TValue>);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        // Order-independent, to agree with Equals.
        var hash = 0;
        foreach (var (key, value) in _entries)
        {
            hash ^= HashCode.Combine(key, value);
        }
        return hash;
    }

    /// <summary>Entries as <c>{k: v, ...}</c>, for test failure messages.</summary>
    public override string ToString() => "{" + string.Join(", ", _entries.Select(e => $"{e.Key}: {e.Value}")) + "}";
}

/// <summary>Factory for <see cref="OrderedMap{TValue}"/> (also backs collection expressions).</summary>
public static class OrderedMap
{
    /// <summary>A map of <paramref name="entries"/> in their order.</summary>
    public static OrderedMap<TValue> Create<TValue>(ReadOnlySpan<KeyValuePair<string, TValue>> entries) =>
        entries.IsEmpty ? OrderedMap<TValue>.Empty : new OrderedMap<TValue>(entries.ToArray());

    /// <summary>A map of <paramref name="entries"/> in their order.</summary>
    public static OrderedMap<TValue> From<TValue>(IEnumerable<KeyValuePair<string, TValue>> entries)
    {
        var array = entries.ToArray();
        return array.Length == 0 ? OrderedMap<TValue>.Empty : new OrderedMap<TValue>(array);
    }
}
