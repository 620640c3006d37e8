namespace Portal.Testing;

/// <summary>
/// A second replica of the portal: the same Program on the same database as <paramref name="first"/>,
/// for what must cross replicas (Postgres NOTIFY). Initialise it after <paramref name="first"/>.
/// </summary>
public sealed class PortalReplicaFactory(PortalWebFactory first) : PortalWebFactory(first.Servers)
{
    public override ValueTask InitializeAsync()
    {
        ConnectionString = first.ConnectionString;
        return ValueTask.CompletedTask;
    }
}
