using System.Text;
using Portal.Host.Engine;
using Portal.Testing.Actors;

namespace Portal.Tests.Integration.Host;

/// <summary>A wasi:http/incoming-handler component (JS, componentize-js), transpiled by jco, run in V8.</summary>
public sealed class ComponentActorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Js_component_answers_through_the_incoming_handler()
    {
        var wasm = await ActorBuilder.HttpComponentAsync("hello-component", Ct);
        await using var engine = new ActorEngine(new ActorEngineOptions { Workers = 1 });
        var limits = new ActorLimits { MemoryBytes = 512L * 1024 * 1024, Timeout = TimeSpan.FromSeconds(20), MaxInstances = 4 };
        var digest = await engine.LoadAsync("js", wasm, ActorKind.HttpComponent, limits, cancellationToken: Ct);
        Assert.Equal(64, digest.Length);

        for (var i = 0; i < 3; i++)
        {
            var response = await engine.InvokeHttpAsync("js",
                new HttpActorRequest("POST", $"/greet?n={i}", [new("X-Test", "yes"), new("Host", "h.example")], Encoding.UTF8.GetBytes("abcde")), Ct);

            Assert.Null(response.Failure);
            Assert.Equal(202, response.Status);
            Assert.Equal("js", response.Header("x-actor"));
            Assert.Equal($"hello from js: POST /greet?n={i} x-test=yes body=5", Encoding.UTF8.GetString(response.Body.Span));
        }
    }
}
