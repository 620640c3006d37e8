using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Portal.Api.Audit;
using Portal.Data.Audit;

namespace Benchmarks.Audit;

/// <summary>
/// The audit chain hashes every row on write and on verify. Baseline: SHA-256 of the same
/// content concatenated without framing, the least any chain could do.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class AuditHashBenchmarks
{
    private readonly AuditEvent _event = new()
    {
        TenantId = Guid.NewGuid(),
        Sequence = 42,
        OccurredAt = DateTimeOffset.UtcNow,
        ActorType = "user",
        ActorId = Guid.NewGuid().ToString(),
        ActorName = "Ada Lovelace",
        Action = "artifact.upload",
        TargetType = "artifact",
        TargetId = "hello:1.0.0",
        After = """{"name":"hello","tag":"1.0.0","size":1234567,"digest":"sha256:abc"}""",
        IpAddress = "127.0.0.1",
        UserAgent = "curl/8.0",
        CorrelationId = "00-abc-def-01",
        PreviousHash = AuditHasher.Genesis,
        Hash = "",
    };

    private byte[] _raw = [];

    [GlobalSetup]
    public void Setup() => _raw = Encoding.UTF8.GetBytes(string.Concat(_event.PreviousHash, _event.TenantId, _event.Sequence, _event.OccurredAt, _event.ActorType, _event.ActorId, _event.ActorName, _event.Action, _event.TargetType, _event.TargetId, _event.After, _event.IpAddress, _event.UserAgent, _event.CorrelationId));

    [Benchmark(Baseline = true)]
    public byte[] RawSha256() => SHA256.HashData(_raw);

    [Benchmark]
    public string ChainHash() => AuditHasher.Compute(_event);
}
