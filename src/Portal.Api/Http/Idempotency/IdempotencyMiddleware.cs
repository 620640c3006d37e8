using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Portal.Api.Identity;
using Portal.Data.Http;

namespace Portal.Api.Http.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on creating POSTs: the first successful answer is stored per caller and
/// key, and a retry with the same key and the same request gets that answer again (marked
/// <c>Idempotent-Replayed: true</c>) instead of creating a second resource. The same key with a
/// different request is refused with 422.
/// </summary>
/// <remarks>
/// <para>The key is reserved before the request runs, so two concurrent requests with one key
/// never both execute: the second waits (up to <see cref="IdempotencyOptions.Wait"/>) for the
/// first's answer and replays it, or is told 409 if the first is still running. A request that
/// fails frees its key for a retry. Only a process dying mid-request leaves a key reserved; it then
/// answers 409 until the record is purged, rather than risk running the request twice.</para>
/// <para>Endpoints marked <see cref="ReturnsSecretOnce"/> (new tokens, invitation links, host
/// passwords) are not recorded: their answer holds a secret that must not be stored or shown twice.</para>
/// </remarks>
public sealed class IdempotencyMiddleware(RequestDelegate next, IOptions<IdempotencyOptions> options)
{
    public const string Header = "Idempotency-Key";
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(50);

    public async Task InvokeAsync(HttpContext context, IdempotencyStore store, TimeProvider clock)
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
        var aborted = context.RequestAborted;

        var deadline = clock.GetUtcNow() + options.Value.Wait;
        while (!await store.TryReserveAsync(caller, key, requestHash, aborted))
        {
            // Another request holds or held this key. If it failed and freed the key meanwhile,
            // this one reserves it and runs in its place.
            if (await AnswerDuplicateAsync(context, store, clock, caller, key, requestHash, deadline)) return;
        }

        await RunAndRecordAsync(context, store, caller, key);
    }

    private async Task RunAndRecordAsync(HttpContext context, IdempotencyStore store, string caller, string key)
    {
        var original = context.Response.Body;
        await using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        var completed = false;
        try
        {
            await next(context);
            if (context.Response.StatusCode is >= 200 and < 300)
            {
                var location = context.Response.Headers.Location.ToString() is { Length: > 0 } l ? l : null;
                // Not the request's token: once the change is made, its answer must be kept even if the client hung up.
                await store.CompleteAsync(caller, key, context.Response.StatusCode, location, Encoding.UTF8.GetString(buffer.ToArray()), CancellationToken.None);
                completed = true;
            }
        }
        finally
        {
            context.Response.Body = original;
            if (!completed) await store.ReleaseAsync(caller, key, CancellationToken.None);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    /// <summary>
    /// Answers a request whose key another request holds or held: replays the stored answer, waits
    /// for it until <paramref name="deadline"/>, or refuses. False when the key was freed meanwhile.
    /// </summary>
    private static async Task<bool> AnswerDuplicateAsync(HttpContext context, IdempotencyStore store, TimeProvider clock, string caller, string key, string requestHash, DateTimeOffset deadline)
    {
        while (true)
        {
            var stored = await store.FindAsync(caller, key, context.RequestAborted);
            if (stored is null) return false;

            if (stored.RequestHash != requestHash)
            {
                await WriteProblemAsync(context, 422, "This Idempotency-Key was already used for a different request.");
                return true;
            }

            if (stored.StatusCode != IdempotencyRecord.InProgress)
            {
                context.Response.StatusCode = stored.StatusCode;
                context.Response.Headers["Idempotent-Replayed"] = "true";
                if (stored.Location is not null) context.Response.Headers.Location = stored.Location;
                context.Response.ContentType = "application/json; charset=utf-8";
                await context.Response.WriteAsync(stored.ResponseBody, context.RequestAborted);
                return true;
            }

            if (clock.GetUtcNow() >= deadline)
            {
                await WriteProblemAsync(context, 409, "A request with this Idempotency-Key is in progress; retry later to get its answer.");
                return true;
            }

            await Task.Delay(PollEvery, clock, context.RequestAborted);
        }
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
