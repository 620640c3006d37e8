using System.Globalization;
using System.Net;
using System.Text;

namespace Portal.Api.Billing.Invoices;

/// <summary>An invoice as a printable HTML page (no scripts, print styles) and as CSV (one row per line, then the total).</summary>
public static class InvoiceDocuments
{
    public static string Html(InvoiceResponse invoice)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        string M(decimal amount) => E(Money.Format(amount, invoice.Currency));
        var html = new StringBuilder();
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Invoice {{E(invoice.Number)}}</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 48rem; color: #111; }
            table { width: 100%; border-collapse: collapse; margin-top: 1.5rem; }
            th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid #ccc; }
            td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
            tfoot td { font-weight: 600; border-top: 2px solid #111; border-bottom: none; }
            .status { text-transform: uppercase; letter-spacing: .05em; font-size: .85rem; }
            @media print { body { margin: 0; max-width: none; } }
            </style></head><body>
            <h1>Invoice {{E(invoice.Number)}}</h1>
            <p>Tenant <strong>{{E(invoice.Tenant)}}</strong> · month {{E(invoice.Month)}} · plan {{E(invoice.Plan)}} · <span class="status">{{E(invoice.Status)}}</span></p>
            <p>Created {{invoice.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}}{{(invoice.IssuedAt is { } issued ? ", issued " + issued.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "")}}</p>
            <table><thead><tr><th>#</th><th>Description</th><th class="n">Used</th><th class="n">Quantity</th><th class="n">Unit price</th><th class="n">Amount</th></tr></thead><tbody>

            """);
        foreach (var line in invoice.Lines)
        {
            html.Append($"<tr><td>{line.Position}</td><td>{E(line.Description)}</td><td class=\"n\">{(line.Unit is null ? "" : line.Used.ToString("N0", CultureInfo.InvariantCulture))}</td>"
                        + $"<td class=\"n\">{line.Quantity.ToString(CultureInfo.InvariantCulture)}</td><td class=\"n\">{E(line.UnitPrice.ToString("0.#########", CultureInfo.InvariantCulture))}</td><td class=\"n\">{M(line.Amount)}</td></tr>\n");
        }

        html.Append($"""
            </tbody><tfoot><tr><td></td><td>Total</td><td></td><td></td><td></td><td class="n">{M(invoice.Total)}</td></tr></tfoot></table>
            <p><small>Each line is quantity × unit price rounded half to even to the currency's minor unit; the total is the sum of the lines.</small></p>
            </body></html>
            """);
        return html.ToString();
    }

    public static string Csv(InvoiceResponse invoice)
    {
        static string Q(string s) => s.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
        static string N(decimal d) => d.ToString(CultureInfo.InvariantCulture);
        var csv = new StringBuilder("invoice,month,position,description,unit,used,included,quantity,unit_price,amount,currency\r\n");
        foreach (var l in invoice.Lines)
        {
            csv.Append(string.Join(',', Q(invoice.Number), invoice.Month, l.Position, Q(l.Description), l.Unit ?? "", N(l.Used), l.Included, l.Quantity, N(l.UnitPrice), N(l.Amount), invoice.Currency)).Append("\r\n");
        }

        csv.Append(string.Join(',', Q(invoice.Number), invoice.Month, "", "Total", "", "", "", "", "", N(invoice.Total), invoice.Currency)).Append("\r\n");
        return csv.ToString();
    }
}
