using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Api.Applications.Manifests;
using Portal.Api.Artifacts.Providers;
using Portal.Api.Tenants.Access;
using Portal.Data;

namespace Portal.Api.Applications.Validation;

/// <summary>
/// The portal's checks on top of wadm's: every image must be something we know (an artifact of
/// this tenant in our registry, a built-in provider, a provider of the tenant's catalog) or is
/// accepted with a warning that it cannot be checked; and every link's interfaces must be among
/// what its source imports and its target exports, as inspected or declared.
/// </summary>
public sealed class ArtifactReferenceChecker(PortalDbContext db, IOptions<PortalOptions> options)
{
    /// <summary>What the portal knows of one component's image: its interfaces, or nothing (external).</summary>
    private sealed record Known(string Describe, IReadOnlyCollection<string> Imports, IReadOnlyCollection<string> Exports);

    public async Task<IReadOnlyList<ManifestProblem>> CheckAsync(TenantContext context, ManifestReadResult read, CancellationToken cancellationToken = default)
    {
        var problems = new List<ManifestProblem>();
        if (read.Manifest is not { } manifest) return problems;
        void Add(string path, string message, string severity)
        {
            var (line, column) = read.PositionOf(path);
            problems.Add(new ManifestProblem(path, line, column, message, severity));
        }

        var registry = new Uri(options.Value.PublicUrl).Authority;
        var catalog = await db.ProviderRefs.AsNoTracking().ToListAsync(cancellationToken);
        var known = new Dictionary<string, Known>(StringComparer.Ordinal);
        foreach (var component in manifest.Components.Where(c => c.Image is not null))
        {
            var path = component.Path + ".properties.image";
            var image = ImageRefs.Normalize(component.Image!);
            if (image.StartsWith(ImageRefs.BuiltInScheme, StringComparison.OrdinalIgnoreCase))
            {
                var builtIn = BuiltInProviders.All.FirstOrDefault(b => string.Equals(b.ImageRef, image, StringComparison.OrdinalIgnoreCase));
                if (builtIn is null) Add(path, $"There is no built-in provider '{image[ImageRefs.BuiltInScheme.Length..]}'. Built-in providers: {string.Join(", ", BuiltInProviders.All.Select(b => b.ImageRef))}.", ManifestProblem.Error);
                else known[component.Name] = new Known($"built-in provider {builtIn.Name}", builtIn.Imports, builtIn.Exports);
                continue;
            }

            if (image.StartsWith(registry + "/", StringComparison.OrdinalIgnoreCase))
            {
                var found = await OurArtifactAsync(context, image[(registry.Length + 1)..], cancellationToken);
                if (found.Error is { } error) Add(path, error, ManifestProblem.Error);
                else known[component.Name] = found.Known!;
                continue;
            }

            var listed = catalog.FirstOrDefault(p => ImageRefs.Normalize(p.ImageRef) == image);
            var alias = BuiltInProviders.All.FirstOrDefault(b => b.AlsoKnownAs.Contains(ImageRefs.Repository(image), StringComparer.OrdinalIgnoreCase));
            if (listed is not null) known[component.Name] = new Known($"provider {listed.Name} of your catalog", listed.Imports, listed.Exports);
            else if (alias is not null) known[component.Name] = new Known($"{image} (served by the built-in {alias.Name})", alias.Imports, alias.Exports);
            else Add(path, $"{image} is in another registry: the portal cannot check that it exists or which interfaces it has.", ManifestProblem.Warning);
        }

        foreach (var source in manifest.Components)
        {
            foreach (var link in source.Links)
            {
                var target = manifest.Components.FirstOrDefault(c => c.Name == link.Target);
                known.TryGetValue(source.Name, out var from);
                var to = target is null ? null : known.GetValueOrDefault(target.Name);
                foreach (var wanted in link.QualifiedInterfaces)
                {
                    if (from is not null && !from.Imports.Any(i => ImageRefs.Unversioned(i) == wanted))
                    {
                        Add(link.Path, $"Link {wanted} from '{source.Name}' to '{link.Target}': the source '{source.Name}' ({from.Describe}) does not import {wanted}{Listing("imports", from.Imports)}.", ManifestProblem.Error);
                    }

                    if (to is not null && !to.Exports.Any(e => ImageRefs.Unversioned(e) == wanted))
                    {
                        Add(link.Path, $"Link {wanted} from '{source.Name}' to '{link.Target}': the target '{link.Target}' ({to.Describe}) does not export {wanted}{Listing("exports", to.Exports)}.", ManifestProblem.Error);
                    }
                }
            }
        }

        return problems;
    }

    private static string Listing(string what, IReadOnlyCollection<string> interfaces) =>
        interfaces.Count == 0 ? $"; it {what} no interfaces" : $"; it {what} {string.Join(", ", interfaces.Select(ImageRefs.Unversioned).Distinct())}";

    /// <summary>
    /// <c>{tenant}/{name}:{tag}</c> or <c>{tenant}/{name}@sha256:…</c> in our registry. Another
    /// tenant's namespace is refused without looking, so the answer never tells whether it exists.
    /// </summary>
    private async Task<(Known? Known, string? Error)> OurArtifactAsync(TenantContext context, string path, CancellationToken cancellationToken)
    {
        var slash = path.IndexOf('/');
        var tenant = slash < 0 ? "" : path[..slash];
        if (tenant != context.Slug)
        {
            return (null, $"This portal's registry serves only your tenant's artifacts here: write {context.Slug}/{{name}}:{{tag}}; '{tenant}/…' is not yours to use.");
        }

        var rest = path[(slash + 1)..];
        var at = rest.IndexOf('@');
        var colon = rest.LastIndexOf(':');
        var query = db.Artifacts.AsNoTracking();
        string shown;
        if (at >= 0)
        {
            var (name, digest) = (rest[..at], rest[(at + 1)..]);
            query = query.Where(a => a.Name == name && (a.ManifestDigest == digest || a.Digest == digest));
            shown = rest;
        }
        else
        {
            var (name, tag) = colon < 0 ? (rest, "latest") : (rest[..colon], rest[(colon + 1)..]);
            query = query.Where(a => a.Name == name && a.Tag == tag);
            shown = $"{name}:{tag}";
        }

        var artifact = await query.Select(a => new { a.Name, a.Tag, a.Imports, a.Exports }).FirstOrDefaultAsync(cancellationToken);
        return artifact is null
            ? (null, $"No artifact {shown} in {context.Slug}: upload it first (Artifacts), or fix the reference.")
            : (new Known($"{context.Slug}/{artifact.Name}:{artifact.Tag}", artifact.Imports, artifact.Exports), null);
    }
}
