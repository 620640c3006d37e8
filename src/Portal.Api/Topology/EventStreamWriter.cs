using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Portal.Api.Topology;

/// <summary>
/// Writes a lattice's events as server-sent events: <c>id:</c> the CloudEvent id, <c>event:</c> its
/// type, <c>data:</c> the CloudEvent as JSON; a comment line as keep-alive when the lattice is quiet.
/// Ends when the client goes away or after the optional time bound.
/// </summary>
internal static class EventStreamWriter
{
    public const string ContentType = "text/event-stream";

    public static async Task WriteAsync(HttpContext http, LatticeEventFeed feed, TimeSpan keepAlive, TimeSpan? bound)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        if (bound is { } limit) stop.CancelAfter(limit);
        var response = http.Response;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        // A proxy (nginx) must not hold events back to fill its buffer.
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.WriteAsync(": connected\n\n", CancellationToken.None);
        await response.Body.FlushAsync(CancellationToken.None);

        await using var events = feed.ReadAllAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        Task<bool>? next = null;
        try
        {
            next = events.MoveNextAsync().AsTask();
            while (true)
            {
                var quiet = Task.Delay(keepAlive, stop.Token);
                if (await Task.WhenAny(next, quiet) == quiet)
                {
                    await quiet; // throws once the client left or the bound passed
                    await response.WriteAsync(": keep-alive\n\n", stop.Token);
                    await response.Body.FlushAsync(stop.Token);
                    continue;
                }

                if (!await next) break;
                await response.WriteAsync(Format(events.Current), stop.Token);
                await response.Body.FlushAsync(stop.Token);
                next = events.MoveNextAsync().AsTask();
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away or the bound passed: the stream simply ends.
        }
        finally
        {
            // An async iterator cannot be disposed while a MoveNext is pending: cancel it and let it finish first.
            await stop.CancelAsync();
            if (next is not null) await next.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>One SSE event; a multi-line payload becomes several data lines, which readers join with newlines.</summary>
    public static string Format(LatticeEventMessage message)
    {
        var text = new StringBuilder();
        text.Append("id: ").Append(OneLine(message.Id)).Append('\n');
        text.Append("event: ").Append(OneLine(message.Type)).Append('\n');
        foreach (var line in message.Json.ReplaceLineEndings("\n").Split('\n')) text.Append("data: ").Append(line).Append('\n');
        return text.Append('\n').ToString();
    }

    private static string OneLine(string value) => value.ReplaceLineEndings(" ");
}
