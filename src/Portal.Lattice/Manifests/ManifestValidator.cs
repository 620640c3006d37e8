namespace Portal.Lattice.Manifests;

/// <summary>
/// wadm's manifest validation (crates/wadm-types validation, lattice-protocol.md 4.1): errors block
/// a put or deploy, warnings do not. Checks that need the lattice or the tenant (explicit IDs used by
/// another app, shared apps deployed, artifacts exist) belong to the caller, who can place its own
/// findings with <see cref="ManifestDocument.PositionOf"/>.
/// </summary>
public static class ManifestValidator
{
    /// <summary>Validates <paramref name="manifest"/>; positions come from <paramref name="sourceMap"/> when given.</summary>
    public static IReadOnlyList<ManifestDiagnostic> Validate(Manifest manifest, ManifestSourceMap? sourceMap = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var sink = new DiagnosticSink(sourceMap ?? ManifestSourceMap.Empty);
        MetadataRules.Check(manifest, sink);
        ComponentRules.Check(manifest, sink);
        LinkRules.Check(manifest, sink);
        SecretRules.Check(manifest, sink);
        return sink.Diagnostics;
    }

    /// <summary>
    /// The parse diagnostics of <paramref name="document"/> followed by the validation of its manifest
    /// (if it has one), each finding once: everything to show an author.
    /// </summary>
    public static IReadOnlyList<ManifestDiagnostic> Validate(ManifestDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var all = document.Diagnostics.AsEnumerable();
        if (document.Manifest is { } manifest)
        {
            all = all.Concat(Validate(manifest, document.SourceMap));
        }
        return all.DistinctBy(d => (d.Severity, d.Path, d.Message)).ToList();
    }
}
