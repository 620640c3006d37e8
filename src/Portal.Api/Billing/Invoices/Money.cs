namespace Portal.Api.Billing.Invoices;

/// <summary>
/// Rounding rules of the bill, in one place. Amounts are decimals in an ISO 4217 currency. Each
/// invoice line is computed exactly (blocks × unit price) and then rounded once, half to even
/// (banker's rounding), to the currency's minor unit; the total is the sum of the rounded lines,
/// so the lines always add up to the total printed under them.
/// </summary>
public static class Money
{
    /// <summary>Digits after the decimal point: ISO 4217's minor unit (0 for JPY, 3 for KWD, 2 for most).</summary>
    public static int MinorUnits(string currency) => currency.ToUpperInvariant() switch
    {
        "JPY" or "KRW" or "ISK" or "CLP" or "VND" or "UGX" or "XAF" or "XOF" => 0,
        "BHD" or "IQD" or "JOD" or "KWD" or "LYD" or "OMR" or "TND" => 3,
        _ => 2,
    };

    public static decimal Round(decimal amount, string currency) =>
        Math.Round(amount, MinorUnits(currency), MidpointRounding.ToEven);

    /// <summary>For invoices and CSV: fixed digits, invariant culture, code after the number (<c>12.50 EUR</c>).</summary>
    public static string Format(decimal amount, string currency) =>
        amount.ToString("F" + MinorUnits(currency), System.Globalization.CultureInfo.InvariantCulture) + " " + currency;
}
