using Portal.Data.Billing;
using Portal.Api.Http;

namespace Portal.Api.Billing;

/// <summary>Units as the REST API spells them: camelCase names (<c>applications</c>, <c>artifactStorageBytes</c>).</summary>
public static class BillingUnits
{
    public static string Key(BillingUnit unit) => Quotas.QuotaWords.Key(unit);

    public static string List => string.Join(", ", Enum.GetValues<BillingUnit>().Select(Key));

    public static BillingUnit Parse(string? value, string field) =>
        Enum.TryParse<BillingUnit>(value, ignoreCase: true, out var unit) && Enum.IsDefined(unit) && !int.TryParse(value, out _)
            ? unit
            : throw ValidationException.For(field, $"'{value}' is not a billing unit; units are: {List}.");
}
