namespace Portal.Tests.Integration.Host.Lattice;

/// <summary>
/// The test classes that share one <see cref="HostLatticeFixture"/>: two hosts (two sidecars, each
/// transpiling componentize-js components) per class in parallel would crowd a 2-core machine, so
/// these classes run one after another on the same hosts. Each uses its own component, provider
/// and link ids.
/// </summary>
[CollectionDefinition(Name)]
public sealed class HostLatticeCollection : ICollectionFixture<HostLatticeFixture>
{
    public const string Name = "Two hosts in one lattice";
}
