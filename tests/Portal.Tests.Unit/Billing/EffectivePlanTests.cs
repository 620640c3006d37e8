using Portal.Api.Billing;
using Portal.Api.Quotas;
using Portal.Data.Billing;

namespace Portal.Tests.Unit.Billing;

/// <summary>How a tenant's effective limits come from its plan and its overrides, and what overage costs.</summary>
public sealed class EffectivePlanTests
{
    private static Plan Plan() => new()
    {
        Name = "team",
        MonthlyPrice = 49m,
        Currency = "EUR",
        Limits =
        [
            new PlanLimit { Unit = BillingUnit.Applications, Included = 10 },
            new PlanLimit { Unit = BillingUnit.Instances, Included = 100, OveragePrice = 0.10m },
            new PlanLimit { Unit = BillingUnit.ArtifactStorageBytes, Included = 1024, OveragePrice = 2m, OverageQuantum = 512 },
        ],
    };

    [Fact]
    public void Without_overrides_the_plan_lines_are_the_limits()
    {
        var plan = EffectivePlan.Compute(Plan(), [], assigned: true);

        Assert.Equal(("team", 49m, "EUR"), (plan.PlanName, plan.MonthlyPrice, plan.Currency));
        Assert.Equal(10, plan.HardCap(BillingUnit.Applications));
        Assert.Null(plan.HardCap(BillingUnit.Instances)); // priced past what is included: never refused
        Assert.Null(plan.For(BillingUnit.Lattices)); // not in the plan: unlimited
        Assert.All(plan.Limits.Values, l => Assert.False(l.Overridden));
    }

    [Fact]
    public void An_override_replaces_its_unit_only_and_can_turn_a_priced_unit_into_a_cap()
    {
        var plan = EffectivePlan.Compute(Plan(),
        [
            new TenantPlanOverride { Unit = BillingUnit.Applications, Included = 25 },
            new TenantPlanOverride { Unit = BillingUnit.Instances, Included = 40 },
            new TenantPlanOverride { Unit = BillingUnit.Lattices, Included = 2 },
        ], assigned: false);

        Assert.Equal(25, plan.HardCap(BillingUnit.Applications));
        Assert.Equal(40, plan.HardCap(BillingUnit.Instances));
        Assert.Equal(2, plan.HardCap(BillingUnit.Lattices));
        Assert.True(plan.For(BillingUnit.Applications)!.Overridden);
        Assert.False(plan.For(BillingUnit.ArtifactStorageBytes)!.Overridden);
        Assert.Equal(1024, plan.For(BillingUnit.ArtifactStorageBytes)!.Included);
    }

    [Theory]
    [InlineData(0, 0)]       // nothing used
    [InlineData(1024, 0)]    // exactly what is included
    [InlineData(1025, 2)]    // one byte over starts a block of 512
    [InlineData(1536, 2)]    // a full block
    [InlineData(1537, 4)]    // the second block started
    public void Overage_is_charged_per_started_block(long used, decimal expected)
    {
        var storage = EffectivePlan.Compute(Plan(), [], assigned: true).For(BillingUnit.ArtifactStorageBytes)!;
        Assert.Equal(expected, storage.OverageCharge(used));
    }

    [Fact]
    public void A_hard_cap_charges_nothing_and_per_unit_prices_multiply()
    {
        var plan = EffectivePlan.Compute(Plan(), [], assigned: true);
        Assert.Equal(0m, plan.For(BillingUnit.Applications)!.OverageCharge(50));
        Assert.Equal(2.5m, plan.For(BillingUnit.Instances)!.OverageCharge(125));
    }

    [Fact]
    public void Quota_limits_name_the_plan_and_the_override_and_how_to_raise_them()
    {
        var limits = new TenantLimits(EffectivePlan.Compute(Plan(), [new TenantPlanOverride { Unit = BillingUnit.Lattices, Included = 2 }], assigned: true));

        Assert.Equal("plan 'team'", limits.For(BillingUnit.Applications)!.Source);
        Assert.Equal("plan 'team' with an override for this tenant", limits.For(BillingUnit.Lattices)!.Source);
        Assert.Equal("plan 'team': upgrade the plan, or ask a platform administrator to raise applications", limits.For(BillingUnit.Applications)!.HowToRaise);
        Assert.Null(limits.For(BillingUnit.Instances));
    }

    [Fact]
    public void The_seeded_catalog_has_one_default_free_plan_and_a_priced_team_plan()
    {
        var free = PlanCatalog.Free();
        var team = PlanCatalog.Team();
        Assert.True(free.IsDefault);
        Assert.False(team.IsDefault);
        Assert.Equal(0m, free.MonthlyPrice);
        Assert.All(free.Limits, l => Assert.Null(l.OveragePrice));
        Assert.Contains(team.Limits, l => l.OveragePrice is not null);
        Assert.All(team.Limits.Where(l => l.Unit == BillingUnit.ApiRequestsPerMinute), l => Assert.Null(l.OveragePrice));
    }
}
