using Portal.Lattice.Control;

namespace Portal.Tests.Unit.Lattice.Control;

public sealed class LatticeSubjectsTests
{
    [Fact]
    public void Default_prefix_and_lattice_build_the_documented_subjects()
    {
        var s = new LatticeSubjects();

        Assert.Equal("wasmbus.ctl.v1.default.host.ping", s.HostPing);
        Assert.Equal("wasmbus.ctl.v1.default.component.scale.NH", s.ComponentScale("NH"));
        Assert.Equal("wasmbus.ctl.v1.default.config.get.cfg", s.ConfigGet("cfg"));
        Assert.Equal("wasmbus.ctl.v1.default.link.put", s.LinkPut);
        Assert.Equal("wasmbus.evt.default.>", s.AllEvents);
        Assert.Equal("LATTICEDATA_default", s.LatticeDataBucket);
        Assert.Equal("CONFIGDATA_default", s.ConfigDataBucket);
    }

    [Fact]
    public void Custom_prefix_changes_control_subjects_but_not_events()
    {
        var s = new LatticeSubjects("prod", "acme.ctl");

        Assert.Equal("acme.ctl.v1.prod.host.get.NH", s.HostGet("NH"));
        Assert.Equal("wasmbus.evt.prod.host_heartbeat", s.Event(LatticeEvents.HostHeartbeat));
    }

    [Fact]
    public void Host_subscriptions_use_queue_groups_for_lattice_wide_requests()
    {
        var subs = new LatticeSubjects().HostSubscriptions("NH").ToDictionary(s => s.Filter, s => s.QueueGroup);

        Assert.Equal("wasmbus.ctl.v1.default.link", subs["wasmbus.ctl.v1.default.link.*"]);
        Assert.Equal("wasmbus.ctl.v1.default.config", subs["wasmbus.ctl.v1.default.config.>"]);
        Assert.Equal("wasmbus.ctl.v1.default.claims", subs["wasmbus.ctl.v1.default.claims.get"]);
        Assert.Null(subs["wasmbus.ctl.v1.default.host.ping"]);
        Assert.Null(subs["wasmbus.ctl.v1.default.component.*.NH"]);
        Assert.Equal(11, subs.Count);
    }

    [Theory]
    [InlineData("a.b")]
    [InlineData("")]
    [InlineData("x y")]
    [InlineData(">")]
    public void Lattice_ids_must_be_one_subject_token(string lattice) =>
        Assert.Throws<ArgumentException>(() => new LatticeSubjects(lattice));
}
