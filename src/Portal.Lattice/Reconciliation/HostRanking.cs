using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Portal.Lattice.Observation;

namespace Portal.Lattice.Reconciliation;

/// <summary>
/// Rendezvous (highest-random-weight) ranking of hosts for a key: each host scores a stable hash of
/// the key and its id, highest first. Different keys spread evenly over the hosts, the same key
/// ranks the same hosts the same way everywhere, and a host joining or leaving moves only the keys
/// it wins or held.
/// </summary>
internal static class HostRanking
{
    public static List<ObservedHost> For(string key, IEnumerable<ObservedHost> hosts) =>
        hosts.OrderByDescending(h => Score(key, h.HostId)).ThenBy(h => h.HostId, StringComparer.Ordinal).ToList();

    // SHA-256 only for its spread, which stays the same across processes and versions
    // (string.GetHashCode is randomised per process); placements are rare enough for its cost.
    private static ulong Score(string key, string hostId) =>
        BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"{key}\n{hostId}")));
}
