using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Api.Audit;
using Portal.Api.Database;
using Portal.Api.Http;
using Portal.Api.Tenants.Access;
using Portal.Data;
using Portal.Data.Artifacts;
using Portal.Lattice.Inspection;

namespace Portal.Api.Artifacts.Providers;

/// <summary>A tenant's provider catalog: the built-in providers plus OCI refs the tenant adds.</summary>
public sealed partial class ProviderService(PortalDbContext db, AuditWriter audit, TimeProvider clock)
{
    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    private static partial Regex NamePattern();

    public async Task<IReadOnlyList<ProviderResponse>> ListAsync(TenantContext context, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Read);
        var added = await db.ProviderRefs.AsNoTracking().OrderBy(p => p.Name).ToListAsync(cancellationToken);
        return [.. BuiltInProviders.All, .. added.Select(ToResponse)];
    }

    public async Task<ProviderResponse> AddAsync(TenantContext context, AddProviderRequest request, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Write);
        var errors = new FieldErrors();
        var name = request.Name?.Trim().ToLowerInvariant();
        var imageRef = request.ImageRef?.Trim();
        errors.When(string.IsNullOrEmpty(name) || name.Length > 100 || !NamePattern().IsMatch(name), "name", "Name is required: lower-case letters, digits and single hyphens, e.g. blobstore-s3.")
              .When(BuiltInProviders.All.Any(b => b.Name == name), "name", $"'{name}' is a built-in provider's name; choose another.")
              .When(string.IsNullOrEmpty(imageRef) || imageRef.Length > 500 || imageRef.Any(char.IsWhiteSpace), "imageRef", "Image reference is required, e.g. ghcr.io/wasmcloud/blobstore-s3:0.10.0.")
              .When(request.Description is { Length: > 500 }, "description", "Description must be at most 500 characters.");
        var exports = Interfaces(request.Exports, "exports", errors);
        var imports = Interfaces(request.Imports, "imports", errors);
        errors.When(exports.Length + imports.Length == 0, "exports", "Declare at least one interface the provider exports or imports, e.g. wasi:blobstore/blobstore.");
        errors.ThrowIfAny();

        var provider = new ProviderRef
        {
            TenantId = context.TenantId, Name = name!, ImageRef = imageRef!, Description = request.Description?.Trim(),
            Exports = exports, Imports = imports, CreatedAt = clock.GetUtcNow(),
        };
        return await db.InTransactionAsync(
            async () =>
            {
                db.ProviderRefs.Add(provider);
                await audit.AppendAsync(new AuditEntry(context.TenantId, "provider.add", "provider", provider.Name, After: new { provider.Name, provider.ImageRef, provider.Exports, provider.Imports }), context.Principal.ToAuditActor(), cancellationToken);
                return ToResponse(provider);
            },
            conflict: $"A provider named '{name}' is already in the catalog.",
            cancellationToken);
    }

    public async Task RemoveAsync(TenantContext context, string name, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Write);
        if (BuiltInProviders.All.Any(b => b.Name == name)) throw new ConflictException($"'{name}' is built into the host and cannot be removed.");
        await db.InTransactionAsync(
            async () =>
            {
                var provider = await db.ProviderRefs.SingleOrDefaultAsync(p => p.Name == name, cancellationToken)
                    ?? throw new NotFoundException($"No provider '{name}' in the catalog.");
                db.ProviderRefs.Remove(provider);
                await audit.AppendAsync(new AuditEntry(context.TenantId, "provider.remove", "provider", provider.Name, Before: new { provider.Name, provider.ImageRef }), context.Principal.ToAuditActor(), cancellationToken);
                return true;
            },
            cancellationToken: cancellationToken);
    }

    private static string[] Interfaces(IReadOnlyList<string>? names, string field, FieldErrors errors)
    {
        var result = new List<string>();
        foreach (var raw in names ?? [])
        {
            var parsed = WitInterfaceName.TryParse(raw?.Trim() ?? "");
            if (parsed is null) errors.Add(field, $"'{raw}' is not an interface name like wasi:keyvalue/store or wasi:keyvalue/store@0.2.0.");
            else result.Add(parsed.ToString());
        }

        return result.Distinct().ToArray();
    }

    private static ProviderResponse ToResponse(ProviderRef p) =>
        new(p.Name, p.ImageRef, p.Description ?? "", BuiltIn: false, p.Exports, p.Imports, [], [], p.CreatedAt);
}
