using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;

namespace Portal.Lattice.Nats;

/// <summary>
/// A NATS core client connection. Every outbound operation is formatted into one pipe by whoever
/// calls (under a short async lock); a single send loop moves the pipe to the socket, so bursts
/// are batched into few writes. One read loop parses the server stream from a pipe reader. When
/// the socket drops, a supervisor reconnects with backoff, re-subscribes everything and resends
/// what was buffered meanwhile.
/// </summary>
public sealed partial class NatsConnection : IAsyncDisposable
{
    private readonly Pipe _outbound;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<int, NatsSubscription> _subscriptions = new();
    private readonly ConcurrentQueue<TaskCompletionSource> _pongWaiters = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly object _gate = new();
    private Task? _connectTask;
    private Task? _supervisor;
    private Session? _session;
    private int _nextSid;
    private int _pingsOut;
    private long _reconnects;
    private volatile NatsConnectionState _state = NatsConnectionState.Closed;
    private volatile bool _closing;

    public NatsConnection(NatsOpts? opts = null)
    {
        Opts = opts ?? NatsOpts.Default;
        const int block = 64 * 1024;
        _outbound = new Pipe(new PipeOptions(
            pool: new BlockMemoryPool(block, maxPooled: Opts.WriterBufferSize / block + 4),
            pauseWriterThreshold: Opts.WriterBufferSize,
            resumeWriterThreshold: Opts.WriterBufferSize / 2,
            minimumSegmentSize: block,
            useSynchronizationContext: false));
        var nuid = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 22);
        _inboxBase = $"{Opts.InboxPrefix}.{nuid}";
        _replyPrefix = $"{Opts.InboxPrefix}.{nuid}.";
        _inboxSid = Interlocked.Increment(ref _nextSid);
    }

    public NatsOpts Opts { get; }

    public NatsConnectionState ConnectionState => _state;

    /// <summary>The INFO of the server currently (or last) connected to.</summary>
    public ServerInfo? ServerInfo { get; private set; }

    /// <summary>Successful reconnects since the first connect.</summary>
    public long ReconnectCount => Interlocked.Read(ref _reconnects);

    /// <summary>Raised on every state change (Connecting, Open, Reconnecting, Closed), off the I/O loops' hot path.</summary>
    public event EventHandler<NatsConnectionStateChangedEventArgs>? ConnectionStateChanged;

    /// <summary>Connects (idempotent). Fails if the first attempt fails; later losses are reconnected.</summary>
    public Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closing, this);
            _connectTask ??= FirstConnectAsync();
            return _connectTask.WaitAsync(cancellationToken);
        }
    }

    private async Task FirstConnectAsync()
    {
        SetState(NatsConnectionState.Connecting, null);
        try
        {
            var session = await HandshakeAsync(_disposed.Token);
            SetState(NatsConnectionState.Open, null);
            _supervisor = Task.Run(() => SuperviseAsync(session));
        }
        catch (Exception e)
        {
            lock (_gate) _connectTask = null; // a later ConnectAsync may try again
            SetState(NatsConnectionState.Closed, e);
            throw;
        }
    }

    private ValueTask EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_state == NatsConnectionState.Open || _connectTask is { IsCompletedSuccessfully: true }) return ValueTask.CompletedTask;
        return new ValueTask(ConnectAsync(cancellationToken));
    }

    // ------------------------------------------------------------------ publish / subscribe

    public ValueTask PublishAsync(string subject, ReadOnlyMemory<byte> data = default, NatsHeaders? headers = null, string? replyTo = null, CancellationToken cancellationToken = default)
    {
        ProtocolWriter.ValidateSubject(subject, nameof(subject));
        if (_state != NatsConnectionState.Open && _connectTask is null) return PublishAfterConnectAsync(subject, data, headers, replyTo, cancellationToken);
        return WriteAsync((subject, replyTo, headers, data), static (w, s) => ProtocolWriter.WritePublish(w, s.subject, s.replyTo, s.headers, s.data.Span), cancellationToken);
    }

    private async ValueTask PublishAfterConnectAsync(string subject, ReadOnlyMemory<byte> data, NatsHeaders? headers, string? replyTo, CancellationToken cancellationToken)
    {
        await ConnectAsync(cancellationToken);
        await PublishAsync(subject, data, headers, replyTo, cancellationToken);
    }

    public async ValueTask<NatsSubscription> SubscribeAsync(string subject, string? queueGroup = null, CancellationToken cancellationToken = default)
    {
        ProtocolWriter.ValidateSubject(subject, nameof(subject));
        if (queueGroup is not null) ProtocolWriter.ValidateSubject(queueGroup, nameof(queueGroup));
        await EnsureConnectedAsync(cancellationToken);
        var sub = new NatsSubscription(this, Interlocked.Increment(ref _nextSid), subject, queueGroup, Opts.SubscriptionCapacity);
        _subscriptions[sub.Sid] = sub;
        await WriteAsync((sub.Sid, subject, queueGroup), static (w, s) => ProtocolWriter.WriteSubscribe(w, s.Sid, s.subject, s.queueGroup), cancellationToken);
        return sub;
    }

    internal async ValueTask UnsubscribeAsync(NatsSubscription sub)
    {
        sub.Complete();
        if (!_subscriptions.TryRemove(sub.Sid, out _) || _closing) return;
        try
        {
            await WriteAsync(sub.Sid, static (w, sid) => ProtocolWriter.WriteUnsubscribe(w, sid), CancellationToken.None);
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
        {
            // Closed meanwhile: the server forgets the subscription with the connection.
        }
    }

    /// <summary>Round trip to the server: when it returns, the server has processed everything sent before.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        await EnsureConnectedAsync(cancellationToken);
        var pong = await SendPingAsync(cancellationToken);
        await pong.WaitAsync(cancellationToken);
    }

    /// <summary>Measures one PING/PONG round trip.</summary>
    public async ValueTask<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        await FlushAsync(cancellationToken);
        return System.Diagnostics.Stopwatch.GetElapsedTime(start);
    }

    private async ValueTask<Task> SendPingAsync(CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Enqueue and write under the write lock so the queue order is the wire order of the PINGs.
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ThrowIfUnusable();
            _pongWaiters.Enqueue(waiter);
            ProtocolWriter.WritePing(_outbound.Writer);
            await _outbound.Writer.FlushAsync(CancellationToken.None);
        }
        finally
        {
            _writeLock.Release();
        }

        return waiter.Task;
    }

    private bool _outboundCompleted;

    /// <summary>Set when reconnecting was given up: from then on every operation fails at once.</summary>
    private volatile bool _gaveUp;

    private void ThrowIfUnusable()
    {
        if (_outboundCompleted) throw new ObjectDisposedException(nameof(NatsConnection));
        if (_gaveUp) throw new NatsException("connection closed: reconnect attempts exhausted");
    }

    /// <summary>Formats an operation into the outbound pipe. The common case completes synchronously.</summary>
    private ValueTask WriteAsync<TState>(TState state, Action<IBufferWriter<byte>, TState> write, CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        if (!_writeLock.Wait(0)) return WriteSlowAsync(state, write, cancellationToken);
        ValueTask<FlushResult> flush;
        try
        {
            write(_outbound.Writer, state);
            flush = _outbound.Writer.FlushAsync(CancellationToken.None);
        }
        catch
        {
            _writeLock.Release();
            throw;
        }

        if (flush.IsCompletedSuccessfully)
        {
            _writeLock.Release();
            return ValueTask.CompletedTask;
        }

        return AwaitFlushAsync(flush);
    }

    private async ValueTask AwaitFlushAsync(ValueTask<FlushResult> flush)
    {
        try
        {
            await flush;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async ValueTask WriteSlowAsync<TState>(TState state, Action<IBufferWriter<byte>, TState> write, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ThrowIfUnusable();
            write(_outbound.Writer, state);
            await _outbound.Writer.FlushAsync(CancellationToken.None);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    // ------------------------------------------------------------------ state

    private void SetState(NatsConnectionState state, Exception? error)
    {
        var previous = _state;
        if (previous == state) return;
        _state = state;
        var handler = ConnectionStateChanged;
        if (handler is null) return;
        try
        {
            handler(this, new NatsConnectionStateChangedEventArgs(previous, state, error));
        }
        catch
        {
            // A listener's bug must not take the connection down.
        }
    }

    // ------------------------------------------------------------------ drain / dispose

    /// <summary>
    /// Graceful close: unsubscribes everything, waits until the server has seen that and every
    /// message already on its way has been delivered to the subscriptions (which then end), then closes.
    /// </summary>
    public async ValueTask DrainAsync(CancellationToken cancellationToken = default)
    {
        if (_state == NatsConnectionState.Open)
        {
            var subs = _subscriptions.Values.ToArray();
            foreach (var sub in subs)
            {
                _subscriptions.TryRemove(sub.Sid, out _);
                await WriteAsync(sub.Sid, static (w, sid) => ProtocolWriter.WriteUnsubscribe(w, sid), cancellationToken);
            }

            try
            {
                // The PONG arrives after every MSG the server sent before it processed the UNSUBs.
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(Opts.RequestTimeout);
                await FlushAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Best effort: close anyway.
            }

            foreach (var sub in subs) sub.Complete();
        }

        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_closing) return;
            _closing = true;
        }

        if (_state == NatsConnectionState.Open)
        {
            // Let what is already buffered reach the server before the socket closes.
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
                var pong = await SendPingAsync(timeout.Token);
                await pong.WaitAsync(timeout.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or NatsException or ObjectDisposedException)
            {
            }
        }

        _disposed.Cancel();
        _session?.Abort(null);
        if (_supervisor is not null)
        {
            try
            {
                await _supervisor;
            }
            catch
            {
                // Supervisor failures were already reported through the state event.
            }
        }

        await _writeLock.WaitAsync();
        try
        {
            _outboundCompleted = true;
            await _outbound.Writer.CompleteAsync();
        }
        finally
        {
            _writeLock.Release();
        }

        foreach (var sub in _subscriptions.Values) sub.Complete();
        _subscriptions.Clear();
        FailPendingPongs(new ObjectDisposedException(nameof(NatsConnection)));
        FailPendingReplies(new ObjectDisposedException(nameof(NatsConnection)));
        SetState(NatsConnectionState.Closed, null);
        _disposed.Dispose();
    }

    private void FailPendingPongs(Exception error)
    {
        while (_pongWaiters.TryDequeue(out var waiter)) waiter.TrySetException(error);
    }

    internal string NewInbox() => $"{_inboxBase}x{Interlocked.Increment(ref _nextReplyId)}";
}
