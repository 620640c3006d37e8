namespace Portal.Host.Engine;

/// <summary>An HTTP request for an actor. <see cref="PathAndQuery"/> is the raw request target, e.g. "/a/b?x=1".</summary>
public sealed record HttpActorRequest(
    string Method,
    string PathAndQuery,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    ReadOnlyMemory<byte> Body)
{
    public static HttpActorRequest Get(string pathAndQuery, params KeyValuePair<string, string>[] headers) =>
        new("GET", pathAndQuery, headers, ReadOnlyMemory<byte>.Empty);
}
