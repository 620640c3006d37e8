namespace Portal.Api.Quotas;

/// <summary>
/// The labels of the hosts the portal observes in a lattice right now, or null when it does not
/// observe that lattice. Answers from memory only: quota checks run inside a locked transaction
/// and must not wait on NATS.
/// </summary>
public interface IObservedHosts
{
    IReadOnlyList<IReadOnlyDictionary<string, string>>? Of(string latticeId);
}

/// <summary>Without a lattice runtime nothing is observed.</summary>
internal sealed class NoObservedHosts : IObservedHosts
{
    public IReadOnlyList<IReadOnlyDictionary<string, string>>? Of(string latticeId) => null;
}
