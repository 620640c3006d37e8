using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;

namespace Portal.Lattice.Nats;

public sealed partial class NatsConnection
{
    // One wildcard subscription (_INBOX.{nuid}.*) carries every reply; the last token is the request's id.
    private readonly string _inboxBase;
    private readonly string _replyPrefix;
    private readonly int _inboxSid;
    private readonly ConcurrentDictionary<long, IReplySink> _replies = new();
    private long _nextReplyId;

    private interface IReplySink
    {
        void Deliver(in NatsMsg msg);

        void Fail(Exception error);
    }

    private sealed class SingleReply() : TaskCompletionSource<NatsMsg>(TaskCreationOptions.RunContinuationsAsynchronously), IReplySink
    {
        public void Deliver(in NatsMsg msg) => TrySetResult(msg);

        public void Fail(Exception error) => TrySetException(error);
    }

    private sealed class ManyReplies : IReplySink
    {
        public Channel<NatsMsg> Channel { get; } = System.Threading.Channels.Channel.CreateUnbounded<NatsMsg>(new UnboundedChannelOptions { SingleWriter = true, SingleReader = true });

        public void Deliver(in NatsMsg msg) => Channel.Writer.TryWrite(msg);

        public void Fail(Exception error) => Channel.Writer.TryComplete(error);
    }

    /// <summary>
    /// Publishes with a reply subject on the shared inbox and waits for the first reply.
    /// Throws <see cref="NatsNoRespondersException"/> when nobody subscribes to <paramref name="subject"/>
    /// and <see cref="NatsRequestTimeoutException"/> after <paramref name="timeout"/> (default <see cref="NatsOpts.RequestTimeout"/>).
    /// </summary>
    public async ValueTask<NatsMsg> RequestAsync(string subject, ReadOnlyMemory<byte> data = default, NatsHeaders? headers = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        await EnsureConnectedAsync(cancellationToken);
        var id = Interlocked.Increment(ref _nextReplyId);
        var waiter = new SingleReply();
        _replies[id] = waiter;
        var wait = timeout ?? Opts.RequestTimeout;
        try
        {
            await PublishAsync(subject, data, headers, _replyPrefix + id.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
            var reply = await waiter.Task.WaitAsync(wait, cancellationToken);
            if (reply.IsNoResponders) throw new NatsNoRespondersException(subject);
            return reply;
        }
        catch (TimeoutException)
        {
            throw new NatsRequestTimeoutException(subject, wait);
        }
        finally
        {
            _replies.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// Scatter-gather: publishes once and yields every reply until the window (or idle time) ends,
    /// <see cref="NatsRequestManyOpts.MaxMsgs"/> replies came, or an empty sentinel arrives when asked to stop on one.
    /// No responders (status 503) simply ends the sequence: zero replies is a valid result.
    /// </summary>
    public async IAsyncEnumerable<NatsMsg> RequestManyAsync(string subject, ReadOnlyMemory<byte> data = default, NatsHeaders? headers = null, NatsRequestManyOpts? opts = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureConnectedAsync(cancellationToken);
        var id = Interlocked.Increment(ref _nextReplyId);
        var sink = new ManyReplies();
        _replies[id] = sink;
        try
        {
            await PublishAsync(subject, data, headers, _replyPrefix + id.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
            var deadline = DateTime.UtcNow + (opts?.Timeout ?? Opts.RequestTimeout);
            var count = 0;
            using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            while (true)
            {
                var remaining = deadline - DateTime.UtcNow;
                if (opts?.IdleTimeout is { } idle && idle < remaining) remaining = idle;
                if (remaining <= TimeSpan.Zero) yield break;
                window.CancelAfter(remaining);
                NatsMsg msg;
                try
                {
                    msg = await sink.Channel.Reader.ReadAsync(window.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }

                if (msg.IsNoResponders) yield break;
                if (opts?.StopOnEmptyPayload == true && msg.Data.IsEmpty && msg.Headers is null) yield break;
                yield return msg;
                if (opts?.MaxMsgs is { } max && ++count >= max) yield break;
            }
        }
        finally
        {
            _replies.TryRemove(id, out _);
        }
    }

    private void FailPendingReplies(Exception error)
    {
        foreach (var (_, sink) in _replies) sink.Fail(error);
    }

    /// <summary>Called by the read loop for every MSG/HMSG; copies what the message keeps out of the read buffer.</summary>
    private void Dispatch(ReadOnlySpan<byte> subject, int sid, ReadOnlySpan<byte> replyTo, int headerLength, in ReadOnlySequence<byte> content)
    {
        if (sid == _inboxSid)
        {
            // Look the request up before allocating anything: late replies to finished requests cost nothing.
            if (subject.Length <= _replyPrefix.Length
                || !Utf8Parser.TryParse(subject[_replyPrefix.Length..], out long id, out var consumed)
                || consumed != subject.Length - _replyPrefix.Length
                || !_replies.TryGetValue(id, out var sink))
            {
                return;
            }

            sink.Deliver(BuildMessage(subject, replyTo, headerLength, content));
            return;
        }

        if (_subscriptions.TryGetValue(sid, out var sub)) sub.Deliver(BuildMessage(subject, replyTo, headerLength, content));
    }

    private NatsMsg BuildMessage(ReadOnlySpan<byte> subject, ReadOnlySpan<byte> replyTo, int headerLength, in ReadOnlySequence<byte> content)
    {
        var headers = headerLength > 0 ? NatsHeaders.Parse(content.Slice(0, headerLength)) : null;
        var payload = content.Length > headerLength ? content.Slice(headerLength).ToArray() : ReadOnlyMemory<byte>.Empty;
        return new NatsMsg(
            Encoding.UTF8.GetString(subject),
            replyTo.IsEmpty ? null : Encoding.UTF8.GetString(replyTo),
            headers,
            payload)
        { Connection = this };
    }
}
