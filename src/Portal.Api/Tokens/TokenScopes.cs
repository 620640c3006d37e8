namespace Portal.Api.Tokens;

/// <summary>What a personal access token may do, whatever its owner's role allows.</summary>
[Flags]
public enum TokenScope
{
    None = 0,
    Read = 1,
    Write = 2,
    Deploy = 4,
    Admin = 8,
}

public readonly record struct TokenScopes(TokenScope Value)
{
    public static readonly TokenScopes All = new(TokenScope.Read | TokenScope.Write | TokenScope.Deploy | TokenScope.Admin);

    public static readonly string[] Names = ["read", "write", "deploy", "admin"];

    public bool Has(TokenScope scope) => (Value & scope) == scope;

    /// <summary>Parses space- or comma-separated names; unknown names are an error, not ignored.</summary>
    public static TokenScopes Parse(string text)
    {
        var value = TokenScope.None;
        foreach (var name in text.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            value |= name.ToLowerInvariant() switch
            {
                "read" => TokenScope.Read,
                "write" => TokenScope.Write,
                "deploy" => TokenScope.Deploy,
                "admin" => TokenScope.Admin,
                _ => throw new FormatException($"Unknown scope '{name}'. Scopes are: {string.Join(", ", Names)}."),
            };
        }

        return new TokenScopes(value);
    }

    public override string ToString()
    {
        var value = Value;
        return string.Join(' ', Names.Where((_, i) => (value & (TokenScope)(1 << i)) != 0));
    }

    public IReadOnlyList<string> ToList() => ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
