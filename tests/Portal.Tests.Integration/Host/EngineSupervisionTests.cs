using System.Diagnostics;
using Portal.Host.Engine;
using Portal.Testing.Actors;

namespace Portal.Tests.Integration.Host;

/// <summary>Each test owns its engine: these kill sidecars and hold workers busy.</summary>
public sealed class EngineSupervisionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Killed_sidecar_is_restarted_and_serves_its_components_again()
    {
        await using var engine = new ActorEngine(new ActorEngineOptions { Workers = 1 });
        await engine.LoadAsync("hello", await ActorBuilder.CgiModuleAsync("hello", Ct), ActorKind.CgiModule, cancellationToken: Ct);
        Assert.Equal(200, (await engine.InvokeHttpAsync("hello", HttpActorRequest.Get("/"), Ct)).Status);
        var firstPid = engine.SidecarProcessId;
        Assert.NotNull(firstPid);

        Process.GetProcessById(firstPid.Value).Kill();

        HttpActorResponse? response = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            response = await engine.InvokeHttpAsync("hello", HttpActorRequest.Get("/"), Ct);
            if (response.Status == 200) break;
            await Task.Delay(50, Ct);
        }

        Assert.Equal(200, response?.Status);
        Assert.Equal(2, engine.SidecarStarts);
        Assert.NotEqual(firstPid, engine.SidecarProcessId);
    }

    [Fact]
    public async Task Max_instances_caps_concurrent_executions_and_queues_the_rest()
    {
        await using var engine = new ActorEngine(new ActorEngineOptions { Workers = 3 });
        var spin = await ActorBuilder.CgiModuleAsync("spin", Ct);
        await engine.LoadAsync("one", spin, ActorKind.CgiModule, new ActorLimits { MaxInstances = 1 }, cancellationToken: Ct);
        await engine.LoadAsync("two", spin, ActorKind.CgiModule, new ActorLimits { MaxInstances = 2 }, cancellationToken: Ct);

        var clock = Stopwatch.StartNew();
        var serial = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            engine.InvokeHttpAsync("one", HttpActorRequest.Get("/?ms=150"), Ct)));
        var serialTime = clock.Elapsed;
        var parallel = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            engine.InvokeHttpAsync("two", HttpActorRequest.Get("/?ms=150"), Ct)));

        Assert.All(serial.Concat(parallel), r => Assert.Equal(200, r.Status));
        Assert.Equal(1, engine.Executions("one").Peak);
        Assert.Equal(2, engine.Executions("two").Peak);
        // Three 150 ms executions one at a time cannot finish sooner than 450 ms.
        Assert.True(serialTime >= TimeSpan.FromMilliseconds(440), $"three serialized executions took {serialTime}");
    }

    [Fact]
    public async Task A_sidecar_that_cannot_start_fails_callers_instead_of_hanging()
    {
        await using var engine = new ActorEngine(new ActorEngineOptions { NodePath = "/nonexistent/node", RestartDelay = TimeSpan.FromSeconds(1) });
        var hello = await ActorBuilder.CgiModuleAsync("hello", Ct);

        var error = await Assert.ThrowsAsync<Portal.Host.Engine.Sidecar.SidecarExitedException>(() =>
            engine.LoadAsync("hello", hello, ActorKind.CgiModule, cancellationToken: Ct).WaitAsync(TimeSpan.FromSeconds(20), Ct));

        Assert.Contains("failed to start", error.Message);
        var response = await engine.InvokeHttpAsync("hello", HttpActorRequest.Get("/"), Ct);
        Assert.Equal(503, response.Status);
    }

    [Fact]
    public async Task Answers_finished_ahead_of_a_loop_in_one_batch_leave_long_before_its_deadline_and_nothing_is_lost()
    {
        // One worker, busy with a spin while the rest arrive, so that it takes the echoes, the loop
        // and the echoes behind it as one batch. A worker keeps a batch's answers in shared memory
        // until the batch is done; the loop keeps this one from being done until the worker is
        // killed at its deadline, so the sidecar must write the answers out meanwhile.
        await using var engine = await OneWorkerEngineAsync(TimeSpan.FromSeconds(3), "echo", "loop", "spin");

        for (var round = 0; round < 2; round++)
        {
            var spin = engine.InvokeHttpAsync("spin", HttpActorRequest.Get("/?ms=300"), Ct);
            var ahead = Enumerable.Range(0, 6).Select(i => engine.InvokeHttpAsync("echo", HttpActorRequest.Get($"/ahead/{round}/{i}"), Ct)).ToList();
            var looping = engine.InvokeHttpAsync("loop", HttpActorRequest.Get("/"), Ct);
            var behind = Enumerable.Range(0, 3).Select(i => engine.InvokeHttpAsync("echo", HttpActorRequest.Get($"/behind/{round}/{i}"), Ct)).ToList();

            var clock = Stopwatch.StartNew();
            var answers = await Task.WhenAll(ahead);
            var answered = clock.Elapsed;
            var failure = await looping;
            var failed = clock.Elapsed;

            Assert.Equal(200, (await spin).Status);
            for (var i = 0; i < answers.Length; i++) Assert.Equal($"/ahead/{round}/{i}", answers[i].Header("X-Path"));
            Assert.Equal(ActorFailure.Timeout, failure.Failure);
            // Held until the kill, they would arrive together with the loop's failure.
            Assert.True(failed - answered > TimeSpan.FromSeconds(1.5), $"answers ahead at {answered}, the loop's failure at {failed}");
            // Queued behind the loop, these run on the worker that replaces the killed one.
            var late = await Task.WhenAll(behind);
            for (var i = 0; i < late.Length; i++) Assert.Equal($"/behind/{round}/{i}", late[i].Header("X-Path"));
        }
    }

    [Fact]
    public async Task A_backlog_larger_than_a_workers_job_ring_arrives_whole()
    {
        // One worker, held by a spin while 6 MB of requests queue for it: the 1 MiB job ring fills,
        // the rest waits in the sidecar for room, and bodies past a quarter of the ring travel as
        // messages instead. Every body must come back intact and to its own request.
        await using var engine = await OneWorkerEngineAsync(TimeSpan.FromSeconds(20), "echo", "spin");
        var random = new Random(7);
        var bodies = Enumerable.Range(0, 48).Select(i =>
        {
            var body = new byte[i % 8 == 7 ? 300_000 : 100_000 + i];
            random.NextBytes(body);
            return body;
        }).ToList();

        var spin = engine.InvokeHttpAsync("spin", HttpActorRequest.Get("/?ms=300"), Ct);
        var echoes = bodies.Select((body, i) => engine.InvokeHttpAsync("echo", new HttpActorRequest("POST", $"/big/{i}", [], body), Ct)).ToList();
        var answers = await Task.WhenAll(echoes);

        Assert.Equal(200, (await spin).Status);
        for (var i = 0; i < answers.Length; i++)
        {
            Assert.True(answers[i].Failure is null, $"request {i}: {answers[i].Failure}");
            Assert.Equal($"/big/{i}", answers[i].Header("X-Path"));
            Assert.True(bodies[i].AsSpan().SequenceEqual(answers[i].Body.Span), $"body {i} differs after the round trip");
        }
    }

    /// <summary>An engine with one worker (so every job shares its queue) and the named C actors loaded under their own names.</summary>
    private static async Task<ActorEngine> OneWorkerEngineAsync(TimeSpan timeout, params string[] actors)
    {
        var engine = new ActorEngine(new ActorEngineOptions { Workers = 1 });
        var limits = new ActorLimits { Timeout = timeout, MaxInstances = 64 };
        foreach (var actor in actors)
        {
            await engine.LoadAsync(actor, await ActorBuilder.CgiModuleAsync(actor, Ct), ActorKind.CgiModule, limits, cancellationToken: Ct);
        }

        return engine;
    }
}
