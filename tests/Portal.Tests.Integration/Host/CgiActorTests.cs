using System.Diagnostics;
using System.Text;
using Portal.Host.Engine;
using Portal.Testing.Actors;

namespace Portal.Tests.Integration.Host;

/// <summary>WASI preview1 modules as CGI handlers, run for real in V8 through the sidecar.</summary>
public sealed class CgiActorTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private readonly ActorEngine _engine = fixture.Engine;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Hello_answers_with_its_cgi_response()
    {
        var response = await _engine.InvokeHttpAsync("hello", HttpActorRequest.Get("/"), Ct);

        Assert.Null(response.Failure);
        Assert.Equal(200, response.Status);
        Assert.Equal("text/plain", response.Header("Content-Type"));
        Assert.Equal("Hello from wasm\n", Encoding.UTF8.GetString(response.Body.Span));
    }

    [Fact]
    public async Task Echo_sees_rfc3875_variables_and_binary_body_round_trips()
    {
        var body = new byte[200_000];
        new Random(42).NextBytes(body);
        body[0] = 0;
        var request = new HttpActorRequest("PUT", "/items/a%20b?x=1&y=%2F",
            [new("Host", "api.example:8443"), new("X-Test", "yes"), new("Content-Type", "application/x-thing")], body);

        var response = await _engine.InvokeHttpAsync("echo", request, Ct);

        Assert.Null(response.Failure);
        Assert.Equal(201, response.Status);
        Assert.Equal("PUT", response.Header("X-Method"));
        Assert.Equal("/items/a b", response.Header("X-Path"));
        Assert.Equal("x=1&y=%2F", response.Header("X-Query"));
        Assert.Equal("application/x-thing", response.Header("X-Content-Type"));
        Assert.Equal("200000", response.Header("X-Content-Length"));
        Assert.Equal("api.example:8443", response.Header("X-Server"));
        Assert.Equal("yes", response.Header("X-Test-Header"));
        Assert.Equal("hi there", response.Header("X-Greeting"));
        Assert.Equal("", response.Header("X-Home")); // nothing from the host's environment
        Assert.True(body.AsSpan().SequenceEqual(response.Body.Span), "body bytes differ after the round trip");
    }

    [Fact]
    public async Task Config_reaches_the_environment_only_when_granted()
    {
        var response = await _engine.InvokeHttpAsync("echo-no-grant", HttpActorRequest.Get("/"), Ct);

        Assert.Equal(201, response.Status);
        Assert.Equal("", response.Header("X-Greeting"));
    }

    [Fact]
    public async Task Every_request_gets_a_fresh_instance_with_clean_memory()
    {
        // Enough requests that pooled memories are reused several times in both workers.
        for (var i = 0; i < 20; i++)
        {
            var response = await _engine.InvokeHttpAsync("state", HttpActorRequest.Get("/"), Ct);

            Assert.Equal(200, response.Status);
            Assert.Equal("counter=42 dirty=0 heap=0\n", Encoding.UTF8.GetString(response.Body.Span));
        }
    }

    [Fact]
    public async Task A_reused_instance_shows_every_request_the_state_of_a_fresh_one()
    {
        // reuse.c stays within its initial memory, so each worker serves it from one live instance
        // restored to its just-created state; "corrupt" requests scribble over statics and heap and
        // leak, and still answer 200, so the instance is kept and the next request must not see it.
        for (var i = 0; i < 12; i++)
        {
            var response = await _engine.InvokeHttpAsync("reuse", HttpActorRequest.Get(i % 3 == 1 ? "/?corrupt" : "/"), Ct);

            Assert.Equal(200, response.Status);
            Assert.Equal("counter=1 dirty=0 heap=0 greeting=hello\n", Encoding.UTF8.GetString(response.Body.Span));
        }
    }

    [Fact]
    public async Task Trap_answers_500_is_reported_and_the_next_request_works()
    {
        var trapped = await _engine.InvokeHttpAsync("trap", HttpActorRequest.Get("/"), Ct);

        Assert.Equal(500, trapped.Status);
        Assert.Equal(ActorFailure.Trap, trapped.Failure);
        Assert.Contains(fixture.Events, e => e.Kind == ActorEventKind.Trap && e.ComponentId == "trap");
        var again = await _engine.InvokeHttpAsync("trap", HttpActorRequest.Get("/"), Ct);
        Assert.Equal(ActorFailure.Trap, again.Failure);
        var hello = await _engine.InvokeHttpAsync("hello", HttpActorRequest.Get("/"), Ct);
        Assert.Equal(200, hello.Status);
    }

    [Fact]
    public async Task Endless_loop_answers_500_after_its_time_limit_while_others_keep_serving()
    {
        var clock = Stopwatch.StartNew();
        var looping = _engine.InvokeHttpAsync("loop", HttpActorRequest.Get("/"), Ct);
        // The loop holds one worker; the other keeps serving meanwhile.
        for (var i = 0; i < 5; i++)
        {
            var hello = await _engine.InvokeHttpAsync("hello", HttpActorRequest.Get("/"), Ct);
            Assert.Equal(200, hello.Status);
        }

        Assert.False(looping.IsCompleted, "the loop finished before the others were served");
        var response = await looping;
        clock.Stop();

        Assert.Equal(500, response.Status);
        Assert.Equal(ActorFailure.Timeout, response.Failure);
        Assert.True(clock.Elapsed >= EngineFixture.LoopLimit - TimeSpan.FromMilliseconds(20), $"answered after {clock.Elapsed}");
        Assert.Contains(fixture.Events, e => e.Kind == ActorEventKind.Timeout && e.ComponentId == "loop");
        var after = await _engine.InvokeHttpAsync("echo", HttpActorRequest.Get("/after"), Ct);
        Assert.True("/after" == after.Header("X-Path"), $"{after.Status} {after.Failure}: {Encoding.UTF8.GetString(after.Body.Span)}");
    }

    [Fact]
    public async Task Requests_queued_behind_a_loop_move_to_a_worker_that_can_serve_them()
    {
        // Sent together, the burst is spread over both workers' queues, so some of it lands behind
        // the loop; the sidecar must take those back once the loop runs long, or they would wait
        // for its deadline.
        var looping = _engine.InvokeHttpAsync("loop", HttpActorRequest.Get("/"), Ct);
        var burst = Enumerable.Range(0, 8).Select(i => _engine.InvokeHttpAsync("echo", HttpActorRequest.Get($"/burst/{i}"), Ct)).ToList();

        var answers = await Task.WhenAll(burst);

        Assert.False(looping.IsCompleted, "the burst waited for the loop's deadline");
        for (var i = 0; i < answers.Length; i++) Assert.Equal($"/burst/{i}", answers[i].Header("X-Path"));
        Assert.Equal(ActorFailure.Timeout, (await looping).Failure);
    }

    [Fact]
    public async Task Memory_grow_past_the_cap_answers_500_but_fits_under_a_larger_cap()
    {
        var capped = await _engine.InvokeHttpAsync("grow", HttpActorRequest.Get("/"), Ct);
        var roomy = await _engine.InvokeHttpAsync("grow-roomy", HttpActorRequest.Get("/"), Ct);

        Assert.Equal(500, capped.Status);
        Assert.Equal(ActorFailure.MemoryLimit, capped.Failure);
        Assert.Contains(fixture.Events, e => e.Kind == ActorEventKind.MemoryLimit && e.ComponentId == "grow");
        Assert.True(200 == roomy.Status, Encoding.UTF8.GetString(roomy.Body.Span));
        Assert.StartsWith("grew ", Encoding.UTF8.GetString(roomy.Body.Span));
    }

    [Fact]
    public async Task Module_whose_initial_memory_exceeds_the_cap_is_refused_at_load()
    {
        var wasm = await ActorBuilder.CgiModuleAsync("hello", Ct);

        var error = await Assert.ThrowsAsync<ActorLoadException>(() =>
            _engine.LoadAsync("too-big", wasm, ActorKind.CgiModule, new ActorLimits { MemoryBytes = 64 * 1024 }, cancellationToken: Ct));

        Assert.Contains("exceeds the cap", error.Reason);
        Assert.False(_engine.IsLoaded("too-big"));
    }

    [Fact]
    public async Task Pipelined_requests_each_get_their_own_answer()
    {
        var requests = Enumerable.Range(0, 200).Select(i =>
            _engine.InvokeHttpAsync("echo", new HttpActorRequest("POST", $"/n/{i}", [], Encoding.UTF8.GetBytes($"body-{i}")), Ct)).ToList();

        var responses = await Task.WhenAll(requests);

        for (var i = 0; i < responses.Length; i++)
        {
            Assert.Equal(201, responses[i].Status);
            Assert.Equal($"/n/{i}", responses[i].Header("X-Path"));
            Assert.Equal($"body-{i}", Encoding.UTF8.GetString(responses[i].Body.Span));
        }
    }

    [Fact]
    public async Task Loading_again_replaces_a_component_and_unloading_stops_it()
    {
        await _engine.LoadAsync("swap", await ActorBuilder.CgiModuleAsync("hello", Ct), ActorKind.CgiModule, cancellationToken: Ct);
        var before = await _engine.InvokeHttpAsync("swap", HttpActorRequest.Get("/"), Ct);
        await _engine.LoadAsync("swap", await ActorBuilder.CgiModuleAsync("echo", Ct), ActorKind.CgiModule, cancellationToken: Ct);
        var replaced = await _engine.InvokeHttpAsync("swap", HttpActorRequest.Get("/x"), Ct);
        await _engine.UnloadAsync("swap", Ct);
        var gone = await _engine.InvokeHttpAsync("swap", HttpActorRequest.Get("/"), Ct);

        Assert.Equal(200, before.Status);
        Assert.Equal(201, replaced.Status);
        Assert.Equal("/x", replaced.Header("X-Path"));
        Assert.Equal(503, gone.Status);
        Assert.Equal(ActorFailure.NotLoaded, gone.Failure);
        Assert.False(_engine.IsLoaded("swap"));
    }

    [Fact]
    public async Task Unknown_component_answers_503()
    {
        var response = await _engine.InvokeHttpAsync("nobody", HttpActorRequest.Get("/"), Ct);

        Assert.Equal(503, response.Status);
        Assert.Equal(ActorFailure.NotLoaded, response.Failure);
    }
}
