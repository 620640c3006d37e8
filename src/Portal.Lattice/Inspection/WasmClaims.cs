using System.Collections.Immutable;

namespace Portal.Lattice.Inspection;

/// <summary>
/// wasmCloud claims embedded in a binary: a JWT (wascap) in a top-level custom section named
/// <c>wasmcloud_jwt</c> (wascap 0.9 and later) or <c>jwt</c> (earlier). Field names follow wascap:
/// <c>iss</c>, <c>sub</c>, <c>iat</c>, <c>exp</c>, <c>nbf</c>, <c>jti</c> and, under <c>wascap</c>,
/// <c>name</c>, <c>hash</c>, <c>tags</c>, <c>caps</c>, <c>rev</c>, <c>ver</c>, <c>call_alias</c>, <c>prov</c>.
/// </summary>
public sealed record WasmClaims
{
    /// <summary>The token as embedded (header.payload.signature).</summary>
    public required string Jwt { get; init; }

    public required string SectionName { get; init; }

    /// <summary>The header's <c>alg</c>; wascap signs with <c>Ed25519</c>.</summary>
    public required string Algorithm { get; init; }

    /// <summary>The signer: an nkeys account public key (56 characters, leading 'A').</summary>
    public required string Issuer { get; init; }

    /// <summary>The component's (module's) own public key (leading 'M').</summary>
    public required string Subject { get; init; }

    public string? Id { get; init; }

    public DateTimeOffset? IssuedAt { get; init; }

    public DateTimeOffset? Expires { get; init; }

    public DateTimeOffset? NotBefore { get; init; }

    public string? Name { get; init; }

    /// <summary>Human version (<c>ver</c>).</summary>
    public string? Version { get; init; }

    /// <summary>Monotonic revision (<c>rev</c>).</summary>
    public int? Revision { get; init; }

    public string? CallAlias { get; init; }

    public ImmutableArray<string> Tags { get; init; } = [];

    /// <summary>Capability attestations (<c>caps</c>), a wasmCloud 0.x notion still present in old tokens.</summary>
    public ImmutableArray<string> Capabilities { get; init; } = [];

    public bool IsProvider { get; init; }

    /// <summary>The signed module hash (upper-case hex SHA-256 of the binary without its JWT sections).</summary>
    public string? ModuleHash { get; init; }

    /// <summary>Whether <see cref="ModuleHash"/> matches these bytes; null when the token carries no hash.</summary>
    public bool? ModuleHashMatches { get; init; }

    /// <summary>wascap's internal revision; hosts enforce the module hash from revision 3 on.</summary>
    public int? WascapRevision { get; init; }

    public required ClaimsSignature Signature { get; init; }

    /// <summary>Why the signature is <see cref="ClaimsSignature.Invalid"/> or <see cref="ClaimsSignature.NotChecked"/>.</summary>
    public string? SignatureNote { get; init; }

    /// <summary>False when <paramref name="now"/> is past <see cref="Expires"/> or before <see cref="NotBefore"/>.</summary>
    public bool IsCurrent(DateTimeOffset now) => (Expires is null || now < Expires) && (NotBefore is null || now >= NotBefore);
}

public enum ClaimsSignature
{
    /// <summary>The Ed25519 signature over header.payload verifies with the issuer's key.</summary>
    Valid,

    /// <summary>The signature does not verify (or the issuer is not a well-formed key).</summary>
    Invalid,

    /// <summary>The token uses an algorithm other than Ed25519, so nothing was checked.</summary>
    NotChecked,
}
