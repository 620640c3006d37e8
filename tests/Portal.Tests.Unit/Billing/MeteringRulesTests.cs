using Portal.Api.Billing.Invoices;
using Portal.Api.Billing.Metering;
using Portal.Data.Billing;
using Portal.Lattice.Observation;
using Portal.Lattice.Reconciliation;

namespace Portal.Tests.Unit.Billing;

public sealed class MeteringRulesTests
{
    [Fact]
    public void Period_keys_are_utc_multiples_of_the_interval_whatever_the_offset()
    {
        var at = new DateTimeOffset(2026, 11, 22, 19, 4, 59, 999, TimeSpan.FromHours(2));
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 17, 4, 0, TimeSpan.Zero), PeriodKey.Floor(at, TimeSpan.FromMinutes(1)));
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 17, 5, 0, TimeSpan.Zero), PeriodKey.Next(at, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void A_sample_counts_max_instances_times_the_period_per_application_and_unmanaged_to_none()
    {
        var tenant = Guid.NewGuid();
        var shop = ScalerAnnotations.ForApp("shop");
        var snapshot = new LatticeSnapshot
        {
            Lattice = "acme-dev",
            Hosts = new Dictionary<string, ObservedHost>
            {
                ["N1"] = new()
                {
                    HostId = "N1",
                    Components = new Dictionary<string, ObservedComponent>
                    {
                        ["a"] = new("a", "img", 3, null, shop),
                        ["b"] = new("b", "img", 2, null, new Dictionary<string, string>()),
                    },
                    Providers = new Dictionary<string, ObservedProvider> { ["http"] = new("http", "img", null, shop, ProviderHealth.Healthy) },
                },
                ["N2"] = new()
                {
                    HostId = "N2",
                    // Someone else's appspec without wadm's managed-by: not an application's.
                    Components = new Dictionary<string, ObservedComponent> { ["a"] = new("a", "img", 4, null, new Dictionary<string, string> { [ScalerAnnotations.AppSpec] = "shop" }) },
                },
            },
        };

        var samples = LatticeUsage.Sample(tenant, snapshot, TimeSpan.FromSeconds(60)).OrderBy(s => s.Application).ThenBy(s => s.Unit).ToList();

        Assert.Equal(
            [
                new UsageSample(tenant, "acme-dev", "", BillingUnit.ActorInstanceSeconds, (2 + 4) * 60m),
                new UsageSample(tenant, "acme-dev", "shop", BillingUnit.ActorInstanceSeconds, 3 * 60m),
                new UsageSample(tenant, "acme-dev", "shop", BillingUnit.ProviderInstanceSeconds, 60m),
            ],
            samples);
    }

    [Theory]
    [InlineData("EUR", "2.505", "2.50")]
    [InlineData("EUR", "2.515", "2.52")]
    [InlineData("JPY", "2.5", "2")]
    [InlineData("JPY", "3.5", "4")]
    [InlineData("KWD", "1.0005", "1.000")]
    public void Lines_round_half_to_even_to_the_minor_unit(string currency, string amount, string rounded)
    {
        var value = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(decimal.Parse(rounded, System.Globalization.CultureInfo.InvariantCulture), Money.Round(value, currency));
        Assert.EndsWith(" " + currency, Money.Format(value, currency));
    }
}
