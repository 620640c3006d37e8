using System.Diagnostics;
using System.Text;
using Portal.Host.Engine;

namespace Portal.Tests.Integration.Host;

/// <summary>wasi:http/incoming-handler components (JS, componentize-js), transpiled by jco, run in V8.</summary>
public sealed class ComponentActorTests(ComponentFixture fixture) : IClassFixture<ComponentFixture>
{
    private readonly ActorEngine _engine = fixture.Engine;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Js_component_answers_through_the_incoming_handler()
    {
        for (var i = 0; i < 3; i++)
        {
            var response = await _engine.InvokeHttpAsync("js",
                new HttpActorRequest("POST", $"/greet?n={i}", [new("X-Test", "yes"), new("Host", "h.example")], Encoding.UTF8.GetBytes("abcde")), Ct);

            Assert.Null(response.Failure);
            Assert.Equal(202, response.Status);
            Assert.Equal("js", response.Header("x-actor"));
            Assert.Equal($"hello from js: POST /greet?n={i} x-test=yes body=5", Encoding.UTF8.GetString(response.Body.Span));
        }
    }

    [Fact]
    public async Task Throwing_handler_answers_500_and_the_component_keeps_serving()
    {
        var failed = await _engine.InvokeHttpAsync("misbehaving", HttpActorRequest.Get("/throw"), Ct);
        var next = await _engine.InvokeHttpAsync("misbehaving", HttpActorRequest.Get("/"), Ct);

        Assert.Equal(500, failed.Status);
        Assert.Equal(ActorFailure.Trap, failed.Failure);
        Assert.Contains(fixture.Events, e => e.Kind == ActorEventKind.Trap && e.ComponentId == "misbehaving");
        Assert.Equal(200, next.Status);
        Assert.Equal("still here 0", Encoding.UTF8.GetString(next.Body.Span));
    }

    [Fact]
    public async Task Looping_handler_is_stopped_at_its_time_limit_while_others_keep_serving()
    {
        var clock = Stopwatch.StartNew();
        var looping = _engine.InvokeHttpAsync("misbehaving", HttpActorRequest.Get("/loop"), Ct);
        var other = await _engine.InvokeHttpAsync("js", HttpActorRequest.Get("/meanwhile"), Ct);
        Assert.Equal(202, other.Status);
        Assert.False(looping.IsCompleted, "the loop ended before the other component answered");

        var response = await looping;

        Assert.Equal(500, response.Status);
        Assert.Equal(ActorFailure.Timeout, response.Failure);
        Assert.True(clock.Elapsed >= ComponentFixture.TimeLimit - TimeSpan.FromMilliseconds(20), $"answered after {clock.Elapsed}");
        Assert.Equal(200, (await _engine.InvokeHttpAsync("misbehaving", HttpActorRequest.Get("/"), Ct)).Status);
    }

    [Fact]
    public async Task Growing_past_the_memory_cap_answers_500_and_the_component_keeps_serving()
    {
        var failed = await _engine.InvokeHttpAsync("misbehaving", HttpActorRequest.Get("/grow"), Ct);
        var next = await _engine.InvokeHttpAsync("misbehaving", HttpActorRequest.Get("/"), Ct);

        Assert.Equal(500, failed.Status);
        Assert.NotNull(failed.Failure);
        Assert.Equal(200, next.Status);
    }

    [Fact]
    public async Task Component_whose_initial_memory_exceeds_the_cap_is_refused_at_load()
    {
        var error = await Assert.ThrowsAsync<ActorLoadException>(() => _engine.LoadAsync("small", fixture.Misbehaving,
            ActorKind.HttpComponent, new ActorLimits { MemoryBytes = 4L * 1024 * 1024 }, cancellationToken: Ct));

        Assert.Contains("exceeds the cap", error.Reason);
    }
}
