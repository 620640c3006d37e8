using System.Text.Json;

namespace Portal.Testing.Actors;

/// <summary>
/// Signs a wasm binary with wasmCloud claims through Actors/sign-claims.mjs (Node's Ed25519, not
/// our verifier's code), for tests of the inspector's claims checks. Deterministic for given seeds.
/// </summary>
public static class ClaimsSigner
{
    /// <summary>Issuer and subject seeds used unless a test brings its own.</summary>
    public const string IssuerSeed = "0101010101010101010101010101010101010101010101010101010101010101";
    public const string SubjectSeed = "0202020202020202020202020202020202020202020202020202020202020202";

    public sealed record Signed(byte[] Wasm, string Issuer, string Subject, string Jwt);

    /// <param name="options">Serialized as the script's options: iat, exp, nbf, jti, section, wascap; seeds default to the ones above.</param>
    public static async Task<Signed> SignAsync(byte[] wasm, Dictionary<string, object?> options, CancellationToken cancellationToken)
    {
        var all = new Dictionary<string, object?>(options);
        all.TryAdd("issuerSeed", IssuerSeed);
        all.TryAdd("subjectSeed", SubjectSeed);
        var directory = Path.Combine(Path.GetTempPath(), $"portal-claims-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            var input = Path.Combine(directory, "in.wasm");
            var output = Path.Combine(directory, "out.wasm");
            await File.WriteAllBytesAsync(input, wasm, cancellationToken);
            await ActorBuilder.RunAsync("node", ActorBuilder.SourceDirectory,
                [Path.Combine(ActorBuilder.SourceDirectory, "sign-claims.mjs"), input, output, JsonSerializer.Serialize(all)], cancellationToken);
            using var result = JsonDocument.Parse(await File.ReadAllTextAsync($"{output}.json", cancellationToken));
            var root = result.RootElement;
            return new Signed(await File.ReadAllBytesAsync(output, cancellationToken),
                root.GetProperty("issuer").GetString()!, root.GetProperty("subject").GetString()!, root.GetProperty("jwt").GetString()!);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
