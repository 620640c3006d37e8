namespace Portal.Data.Artifacts;

/// <summary>
/// A capability provider a tenant added to its catalog: any OCI reference, with the WIT
/// interfaces it declares it exports (and imports, for providers that call components).
/// The built-in providers of our host are in the catalog without a row.
/// </summary>
public sealed class ProviderRef : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid TenantId { get; set; }

    public required string Name { get; set; }

    public required string ImageRef { get; set; }

    public string? Description { get; set; }

    public string[] Exports { get; set; } = [];

    public string[] Imports { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }
}
