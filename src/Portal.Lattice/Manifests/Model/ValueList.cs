using System.Collections;
using System.Runtime.CompilerServices;

namespace Portal.Lattice.Manifests;

/// <summary>
/// An immutable list compared by its items, in order. Manifest records hold lists; with a plain
/// list two equal manifests would compare unequal, which breaks round-trip checks and change
/// detection (is this version different from the deployed one?).
/// </summary>
[CollectionBuilder(typeof(ValueList), nameof(ValueList.Create))]
public sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    private readonly T[] _items;

    /// <summary>The empty list.</summary>
    public static ValueList<T> Empty { get; } = new([]);

    internal ValueList(T[] items) => _items = items;

    /// <inheritdoc />
    public T this[int index] => _items[index];

    /// <inheritdoc />
    public int Count => _items.Length;

    /// <inheritdoc />
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <inheritdoc />
    public bool Equals(ValueList<T>? other) =>
        other is not null && _items.AsSpan().SequenceEqual(other._items, EqualityComparer<T>.Default);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ValueList<T>);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items)
        {
            hash.Add(item);
        }
        return hash.ToHashCode();
    }

    /// <summary>Items separated by commas, for test failure messages.</summary>
    public override string ToString() => "[" + string.Join(", ", _items) + "]";
}

/// <summary>Factory for <see cref="ValueList{T}"/> (also backs collection expressions).</summary>
public static class ValueList
{
    /// <summary>A list holding a copy of <paramref name="items"/>.</summary>
    public static ValueList<T> Create<T>(ReadOnlySpan<T> items) =>
        items.IsEmpty ? ValueList<T>.Empty : new ValueList<T>(items.ToArray());

    /// <summary>A list holding a copy of <paramref name="items"/>.</summary>
    public static ValueList<T> From<T>(IEnumerable<T> items)
    {
        var array = items.ToArray();
        return array.Length == 0 ? ValueList<T>.Empty : new ValueList<T>(array);
    }
}
