using System.Security.Cryptography;
using System.Text;
using Portal.Host.Engine;
using Portal.Testing.Actors;

namespace Portal.Tests.Integration.Host;

/// <summary>The benchmark actors compute the right thing, so S2/S3 figures measure real work.</summary>
public sealed class BenchmarkActorTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sha256_actor_agrees_with_dotnet_sha256()
    {
        await fixture.Engine.LoadAsync("sha256", await ActorBuilder.CgiModuleAsync("sha256", Ct), ActorKind.CgiModule,
            new ActorLimits { MemoryBytes = 16L * 1024 * 1024 }, cancellationToken: Ct);
        var data = new byte[1 << 20];
        var x = 2463534242u;
        for (var i = 0; i < data.Length; i++)
        {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            data[i] = (byte)x;
        }

        var response = await fixture.Engine.InvokeHttpAsync("sha256", HttpActorRequest.Get("/?n=1"), Ct);

        Assert.Equal(200, response.Status);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), Encoding.UTF8.GetString(response.Body.Span).Trim());
    }

    [Fact]
    public async Task Probe_times_fresh_instances_and_live_calls_inside_the_sidecar()
    {
        await fixture.Engine.LoadAsync("live", await ActorBuilder.ReactorModuleAsync("live", Ct), ActorKind.CgiModule, cancellationToken: Ct);

        var fresh = await fixture.Engine.ProbeAsync("hello", ProbeMode.FreshRequest, 200, Ct);
        var live = await fixture.Engine.ProbeAsync("live", ProbeMode.LiveCall, 10_000, Ct);

        Assert.InRange(fresh, 1, 50_000_000);
        Assert.InRange(live, 0.001, 1_000_000);
        Assert.True(live < fresh, $"a live call ({live} ns) should cost less than a fresh request ({fresh} ns)");
        await Assert.ThrowsAsync<InvalidOperationException>(() => fixture.Engine.ProbeAsync("hello", ProbeMode.LiveCall, 1, Ct));
    }
}
