using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Portal.Host.Engine;

namespace Portal.Host.Providers.Http;

/// <summary>
/// One Kestrel listener of the HTTP server provider: every request on its address goes to the
/// linked component through the engine, method, target (path and query), headers and body as
/// received; the component's status, headers and body go back as they are.
/// </summary>
internal sealed class HttpListenerEndpoint : IAsyncDisposable
{
    /// <summary>Request bodies beyond this are refused (413): the engine takes bodies whole.</summary>
    public const long MaxBodyBytes = 16L * 1024 * 1024;

    // Connection-level headers are Kestrel's business; Content-Length is set from the body.
    private static readonly HashSet<string> SkippedResponseHeaders = new(StringComparer.OrdinalIgnoreCase)
        { "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "status" };

    private readonly ActorEngine _engine;
    private readonly Func<string, bool> _isRunning;
    private readonly ILogger _logger;
    private WebApplication? _app;
    private volatile string _target;

    public HttpListenerEndpoint(string address, string target, ActorEngine engine, Func<string, bool> isRunning, ILogger logger)
    {
        Address = address;
        _target = target;
        _engine = engine;
        _isRunning = isRunning;
        _logger = logger;
    }

    public string Address { get; }

    public string Target
    {
        get => _target;
        set => _target = value;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoint = ListenAddress.Parse(Address);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = MaxBodyBytes;
            k.Listen(endpoint);
        });
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync(cancellationToken);
        _app = app;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var target = _target;
        if (!_isRunning(target))
        {
            await PlainAsync(context, StatusCodes.Status503ServiceUnavailable, $"component {target} is not running on this host (linked from {Address})\n");
            return;
        }

        ReadOnlyMemory<byte> body;
        try
        {
            body = await ReadBodyAsync(context.Request, context.RequestAborted);
        }
        catch (BadHttpRequestException e)
        {
            await PlainAsync(context, e.StatusCode, e.Message + "\n");
            return;
        }

        var headers = new List<KeyValuePair<string, string>>(context.Request.Headers.Count);
        foreach (var (name, values) in context.Request.Headers)
        {
            foreach (var value in values) headers.Add(new(name, value ?? ""));
        }

        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(rawTarget)) rawTarget = context.Request.Path + context.Request.QueryString;
        var response = await _engine.InvokeHttpAsync(target, new HttpActorRequest(context.Request.Method, rawTarget, headers, body), context.RequestAborted);
        if (response.Failure is { } failure)
        {
            _logger.LogWarning("Component {Component} failed a {Method} {Target} on {Address}: {Failure}", target, context.Request.Method, rawTarget, Address, failure);
        }

        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers)
        {
            if (!SkippedResponseHeaders.Contains(name)) context.Response.Headers.Append(name, value);
        }

        context.Response.ContentLength = response.Body.Length;
        if (response.Body.Length > 0) await context.Response.Body.WriteAsync(response.Body, context.RequestAborted);
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is 0) return ReadOnlyMemory<byte>.Empty;
        if (request.ContentLength is { } length)
        {
            var buffer = new byte[length];
            await request.Body.ReadExactlyAsync(buffer, cancellationToken);
            return buffer;
        }

        using var copy = new MemoryStream();
        await request.Body.CopyToAsync(copy, cancellationToken);
        return copy.ToArray();
    }

    private static async Task PlainAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(text, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _app.StopAsync(grace.Token);
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}
