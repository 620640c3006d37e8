using System.Buffers.Text;
using System.Text;

namespace Portal.Api.Http;

/// <summary>One page of a list and the opaque cursor for the next (null on the last page).</summary>
public sealed record CursorPage<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>Cursor pagination (<c>?cursor=&amp;limit=</c>): keyset, so a page costs the same deep in a list.</summary>
public static class Cursor
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static int Limit(int? requested)
    {
        if (requested is null) return DefaultLimit;
        if (requested < 1 || requested > MaxLimit) throw ValidationException.For("limit", $"limit must be between 1 and {MaxLimit}.");
        return requested.Value;
    }

    public static string Encode(string position) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(position));

    public static string? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor)) return null;
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            throw ValidationException.For("cursor", "The cursor is not one this API issued.");
        }
    }

    /// <summary>Takes up to <paramref name="limit"/> items of <paramref name="fetched"/> (fetch limit + 1) and the next cursor.</summary>
    public static CursorPage<T> Page<T>(IReadOnlyList<T> fetched, int limit, Func<T, string> position) =>
        fetched.Count > limit
            ? new CursorPage<T>(fetched.Take(limit).ToList(), Encode(position(fetched[limit - 1])))
            : new CursorPage<T>(fetched, null);
}
