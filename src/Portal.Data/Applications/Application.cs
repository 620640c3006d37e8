namespace Portal.Data.Applications;

/// <summary>
/// A tenant's named application (a wadm manifest's <c>metadata.name</c>). Its manifests are
/// immutable <see cref="ApplicationVersion"/>s; where it runs is its <see cref="Deployment"/>s.
/// The name is unique per tenant and follows wadm's rule <c>^[-\w]+$</c>.
/// </summary>
public sealed class Application : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid TenantId { get; set; }

    public required string Name { get; set; }

    public Guid? CreatedById { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the newest version was stored; lists sort recent work first by it.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    public List<ApplicationVersion> Versions { get; set; } = [];

    public List<Deployment> Deployments { get; set; } = [];
}
