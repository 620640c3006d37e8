using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Portal.Api.Identity;
using Portal.Data;
using Portal.Data.Http;

namespace Portal.Api.Http;

/// <summary>
/// <c>Idempotency-Key</c> on creating POSTs: the first successful answer is stored per caller and
/// key, and a retry with the same key and the same request gets that answer again (marked
/// <c>Idempotent-Replayed: true</c>) instead of creating a second resource. The same key with a
/// different request is refused with 422.
/// </summary>
/// <remarks>
/// Endpoints marked <see cref="ReturnsSecretOnce"/> (new tokens, invitation links, host passwords)
/// are not recorded: their answer holds a secret that must not be stored or shown twice.
/// </remarks>
public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    public const string Header = "Idempotency-Key";

    public async Task InvokeAsync(HttpContext context, PortalDbContext db, TimeProvider clock)
    {
        var key = context.Request.Headers[Header].ToString();
        var principal = CurrentPrincipal.From(context.User);
        if (!HttpMethods.IsPost(context.Request.Method) || string.IsNullOrEmpty(key) || principal is null || !context.Request.Path.StartsWithSegments("/api/v1")
            || context.GetEndpoint()?.Metadata.GetMetadata<ReturnsSecretOnce>() is not null
            || context.GetEndpoint()?.Metadata.GetMetadata<NaturallyIdempotent>() is not null)
        {
            await next(context);
            return;
        }

        if (key.Length > 200)
        {
            await WriteProblemAsync(context, 400, "Idempotency-Key must be at most 200 characters.");
            return;
        }

        var caller = principal.TokenId?.ToString() ?? principal.UserId.ToString();
        context.Request.EnableBuffering();
        var requestHash = await HashRequestAsync(context.Request);
        var stored = await db.IdempotencyRecords.AsNoTracking().SingleOrDefaultAsync(r => r.Principal == caller && r.Key == key, context.RequestAborted);
        if (stored is not null)
        {
            if (stored.RequestHash != requestHash)
            {
                await WriteProblemAsync(context, 422, "This Idempotency-Key was already used for a different request.");
                return;
            }

            context.Response.StatusCode = stored.StatusCode;
            context.Response.Headers["Idempotent-Replayed"] = "true";
            if (stored.Location is not null) context.Response.Headers.Location = stored.Location;
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(stored.ResponseBody, context.RequestAborted);
            return;
        }

        var original = context.Response.Body;
        await using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        if (context.Response.StatusCode is >= 200 and < 300)
        {
            db.ChangeTracker.Clear();
            db.IdempotencyRecords.Add(new IdempotencyRecord
            {
                Principal = caller,
                Key = key,
                RequestHash = requestHash,
                StatusCode = context.Response.StatusCode,
                Location = context.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
                ResponseBody = Encoding.UTF8.GetString(buffer.ToArray()),
                CreatedAt = clock.GetUtcNow(),
            });
            try
            {
                await db.SaveChangesAsync(context.RequestAborted);
            }
            catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // A concurrent request with the same key stored its answer first; ours still stands.
            }
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private static async Task<string> HashRequestAsync(HttpRequest request)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk)) > 0) sha.AppendData(chunk, 0, read);
        request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static Task WriteProblemAsync(HttpContext context, int status, string detail) =>
        Results.Problem(statusCode: status, detail: detail, instance: context.Request.Path).ExecuteAsync(context);
}
