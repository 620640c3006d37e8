using Portal.Lattice.Control;
using Portal.Lattice.Reconciliation;

namespace Portal.Tests.Unit.Reconciliation;

public sealed class ExpectedEventsTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly ScaleComponent Scale = new("shop-web", "file:///hello.wasm", "NA1", 1, new Dictionary<string, string>(), []);

    private static readonly StartProvider Start = new("shop-http", "wasmcloud+builtin://http-server", "NA1", new Dictionary<string, string>(), []);

    [Fact]
    public void Waits_for_the_event_then_reconciles_again()
    {
        var tracker = new ExpectedEvents();
        tracker.Expect("shop", "s1", Scale, T0);
        Assert.True(tracker.StateOf("s1", T0.AddSeconds(1)).Waiting);
        Assert.False(tracker.StateOf("other", T0.AddSeconds(1)).Waiting);

        Assert.Empty(tracker.Observe(LatticeEvents.ComponentScaled, "shop-web", "NB1", null, T0.AddSeconds(1))); // another host
        var answer = Assert.Single(tracker.Observe(LatticeEvents.ComponentScaled, "shop-web", "NA1", null, T0.AddSeconds(1)));
        Assert.Equal(("shop", "s1", (string?)null), (answer.App, answer.ScalerId, answer.Error));
        Assert.Equal(Backoff.None, tracker.StateOf("s1", T0.AddSeconds(1)));
    }

    [Fact]
    public void Gives_up_waiting_after_five_seconds_for_components_and_sixty_for_providers()
    {
        var tracker = new ExpectedEvents();
        tracker.Expect("shop", "c", Scale, T0);
        tracker.Expect("shop", "p", Start, T0);
        Assert.True(tracker.StateOf("c", T0.AddSeconds(4.9)).Waiting);
        Assert.False(tracker.StateOf("c", T0.AddSeconds(5)).Waiting);
        Assert.True(tracker.StateOf("p", T0.AddSeconds(59)).Waiting);
        Assert.False(tracker.StateOf("p", T0.AddSeconds(60)).Waiting);
    }

    [Fact]
    public void Timings_are_configurable()
    {
        var tracker = new ExpectedEvents(new BackoffTimings { Component = TimeSpan.FromMilliseconds(200) });
        tracker.Expect("shop", "c", Scale, T0);
        Assert.Equal(T0.AddMilliseconds(200), tracker.NextDeadline);
        Assert.False(tracker.StateOf("c", T0.AddMilliseconds(200)).Waiting);
        Assert.Null(tracker.NextDeadline);
    }

    [Fact]
    public void A_failure_event_fails_the_scaler_with_its_error_for_five_seconds()
    {
        var tracker = new ExpectedEvents();
        tracker.Expect("shop", "p", Start, T0);
        var answer = Assert.Single(tracker.Observe(LatticeEvents.ProviderStartFailed, "shop-http", "NA1", "no such provider", T0.AddSeconds(1)));
        Assert.Equal("no such provider", answer.Error);
        Assert.Equal(new Backoff(false, "no such provider"), tracker.StateOf("p", T0.AddSeconds(5.9)));
        Assert.Equal(Backoff.None, tracker.StateOf("p", T0.AddSeconds(6)));
    }

    [Fact]
    public void Links_are_answered_by_linkdef_set_from_any_host()
    {
        var tracker = new ExpectedEvents();
        tracker.Expect("shop", "l", new PutLink(new Link { SourceId = "shop-http", Target = "shop-web", WitNamespace = "wasi", WitPackage = "http" }), T0);
        Assert.True(tracker.StateOf("l", T0).Waiting);
        Assert.Single(tracker.Observe(LatticeEvents.LinkdefSet, "shop-http", "NANY", null, T0));
        Assert.False(tracker.StateOf("l", T0).Waiting);
        tracker.Expect("shop", "cfg", new PutConfig("x", new Dictionary<string, string>()), T0);
        Assert.False(tracker.StateOf("cfg", T0).Waiting); // config.put replies after the write: nothing to wait for
    }
}
