using Portal.Lattice.Reconciliation;

namespace Portal.Tests.Unit.Reconciliation;

public sealed class SpreadMathTests
{
    private static Spread S(string name, uint? weight) => new(name, new Dictionary<string, string>(), weight);

    private static uint[] Counts(uint instances, params Spread[] spreads) => SpreadMath.Compute(instances, spreads).Select(t => t.Count).ToArray();

    [Fact]
    public void Three_instances_over_two_equal_weights_give_two_then_one() => Assert.Equal([2u, 1u], Counts(3, S("a", 100), S("b", 100)));

    [Fact]
    public void Wadm_example_ten_over_eighty_twenty_gives_eight_and_two()
    {
        var result = SpreadMath.Compute(10, [S("east", 80), S("west", 20)]);
        Assert.Equal([("east", 8u), ("west", 2u)], result.Select(t => (t.Spread.Name, t.Count)));
    }

    [Fact]
    public void Heaviest_first_and_the_remainder_goes_in_that_order()
    {
        // wadm's own case: 103 over 42/3/37/384 → 85, 10, 8, 0 (ordered by weight, descending).
        var result = SpreadMath.Compute(103, [S("one", 42), S("two", 3), S("three", 37), S("four", 384)]);
        Assert.Equal([("four", 85u), ("one", 10u), ("three", 8u), ("two", 0u)], result.Select(t => (t.Spread.Name, t.Count)));
        Assert.Equal([4u, 3u], Counts(7, S("a", 30), S("b", 40)));
        Assert.Equal([4u, 3u], Counts(7, S("a", 100), S("b", 100)));
    }

    [Fact]
    public void Missing_weight_is_one_hundred() => Assert.Equal([5u, 5u], Counts(10, S("a", null), S("b", null)));

    [Fact]
    public void No_spreads_is_one_match_all_default_spread()
    {
        var result = SpreadMath.Compute(12, []);
        var single = Assert.Single(result);
        Assert.Equal("default", single.Spread.Name);
        Assert.Empty(single.Spread.Requirements);
        Assert.Equal(12u, single.Count);
    }

    [Fact]
    public void Requirements_must_all_equal_a_label()
    {
        var spread = new Spread("eu", new Dictionary<string, string> { ["zone"] = "eu", ["arch"] = "x86_64" });
        Assert.True(spread.Matches(new Dictionary<string, string> { ["zone"] = "eu", ["arch"] = "x86_64", ["other"] = "x" }));
        Assert.False(spread.Matches(new Dictionary<string, string> { ["zone"] = "eu" }));
        Assert.True(Spread.Default.Matches(new Dictionary<string, string>()));
    }
}
