using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Api.Http;
using Portal.Api.Tenants.Access;
using Portal.Data;
using Portal.Data.Audit;

namespace Portal.Api.Audit;

/// <summary>Reads a tenant's audit trail: filtered, newest first, keyset-paged by sequence so deep pages stay fast.</summary>
public sealed class AuditQuery(PortalDbContext db)
{
    public async Task<CursorPage<AuditEventResponse>> ListAsync(TenantContext context, AuditFilter filter, string? cursor, int? limit, CancellationToken cancellationToken = default)
    {
        context.Demand(TenantPermission.Read);
        var take = Cursor.Limit(limit);
        var query = Filtered(context, filter);
        if (Cursor.Decode(cursor) is { } position)
        {
            var before = long.TryParse(position, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : throw ValidationException.For("cursor", "The cursor is not one this API issued.");
            query = query.Where(a => a.Sequence < before);
        }

        var rows = await query.OrderByDescending(a => a.Sequence).Take(take + 1).Select(ToResponse).ToListAsync(cancellationToken);
        return Cursor.Page(rows, take, r => r.Sequence.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Every matching event, oldest first, streamed for export.</summary>
    public IAsyncEnumerable<AuditEventResponse> StreamAsync(TenantContext context, AuditFilter filter)
    {
        context.Demand(TenantPermission.Read);
        return Filtered(context, filter).OrderBy(a => a.Sequence).Select(ToResponse).AsAsyncEnumerable();
    }

    private IQueryable<AuditEvent> Filtered(TenantContext context, AuditFilter filter)
    {
        var query = db.AuditEvents.AsNoTracking().Where(a => a.TenantId == context.TenantId);
        if (!string.IsNullOrWhiteSpace(filter.Actor)) query = query.Where(a => a.ActorName == filter.Actor || a.ActorId == filter.Actor);
        if (!string.IsNullOrWhiteSpace(filter.Action)) query = query.Where(a => a.Action == filter.Action || a.Action.StartsWith(filter.Action + "."));
        if (!string.IsNullOrWhiteSpace(filter.Target)) query = query.Where(a => a.TargetType == filter.Target || a.TargetId == filter.Target);
        if (filter.From is { } from) query = query.Where(a => a.OccurredAt >= from);
        if (filter.To is { } to) query = query.Where(a => a.OccurredAt < to);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            // Postgres full-text search over the event's stored words, matched as prefixes ("deplo" finds "deploy").
            var terms = string.Join(" & ", filter.Search.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(t => new string(t.Where(char.IsLetterOrDigit).ToArray())).Where(t => t.Length > 0).Select(t => t + ":*"));
            if (terms.Length > 0)
            {
                query = query.Where(a => a.SearchVector!.Matches(EF.Functions.ToTsQuery("simple", terms)));
            }
        }

        return query;
    }

    private static readonly System.Linq.Expressions.Expression<Func<AuditEvent, AuditEventResponse>> ToResponse = a => new AuditEventResponse(
        a.Sequence, a.OccurredAt, a.ActorType, a.ActorId, a.ActorName, a.Action, a.TargetType, a.TargetId, a.Before, a.After, a.IpAddress, a.UserAgent, a.CorrelationId, a.Hash);
}
