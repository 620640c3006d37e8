using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text.Json;

namespace Portal.Lattice.Nats;

public sealed partial class NatsConnection
{
    /// <summary>One TCP connection to the server: its socket, its read loop and its end.</summary>
    private sealed class Session(NatsConnection owner, Socket socket) : IProtocolHandler
    {
        private readonly CancellationTokenSource _cts = new();
        private readonly TaskCompletionSource _info = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private PipeReader? _input;

        public Socket Socket { get; } = socket;

        public Exception? Error { get; private set; }

        public bool IsClosed => _closed.Task.IsCompleted;

        public CancellationToken Token => _cts.Token;

        public Task InfoReceived => _info.Task;

        /// <summary>Completes at the PONG answering the handshake PING, i.e. CONNECT was accepted.</summary>
        public Task Ready => _ready.Task;

        public Task Closed => _closed.Task;

        public void Start()
        {
            var stream = new NetworkStream(Socket, ownsSocket: false);
            _input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024));
            _ = Task.Run(ReadLoopAsync);
        }

        private async Task ReadLoopAsync()
        {
            var input = _input!;
            try
            {
                while (true)
                {
                    var result = await input.ReadAsync(_cts.Token);
                    var buffer = result.Buffer;
                    while (ProtocolParser.TryParse(ref buffer, this))
                    {
                    }

                    input.AdvanceTo(buffer.Start, buffer.End);
                    if (result.IsCompleted) throw new NatsException("connection closed by the server");
                }
            }
            catch (Exception e)
            {
                Abort(e);
            }
            finally
            {
                await input.CompleteAsync();
            }
        }

        public void Abort(Exception? error)
        {
            lock (_cts)
            {
                if (_closed.Task.IsCompleted) return;
                Error = error;
                _cts.Cancel();
                Socket.Dispose();
                var reason = error ?? new NatsException("connection closed");
                _info.TrySetException(reason);
                _ready.TrySetException(reason);
                _closed.TrySetResult();
            }

            // Wake the send loop if it waits for data, so it notices this session is over.
            owner._outbound.Reader.CancelPendingRead();
        }

        public void OnMessage(ReadOnlySpan<byte> subject, int sid, ReadOnlySpan<byte> replyTo, int headerLength, in ReadOnlySequence<byte> content) =>
            owner.Dispatch(subject, sid, replyTo, headerLength, content);

        public void OnPing()
        {
            var pong = owner.WriteAsync(0, static (w, _) => ProtocolWriter.WritePong(w), CancellationToken.None);
            if (!pong.IsCompletedSuccessfully) _ = pong.AsTask();
        }

        public void OnPong()
        {
            Interlocked.Exchange(ref owner._pingsOut, 0);
            if (!_ready.Task.IsCompleted)
            {
                _ready.TrySetResult();
                return;
            }

            if (owner._pongWaiters.TryDequeue(out var waiter)) waiter.TrySetResult();
        }

        public void OnInfo(ReadOnlySpan<byte> json)
        {
            try
            {
                owner.ServerInfo = JsonSerializer.Deserialize<ServerInfo>(json);
                _info.TrySetResult();
            }
            catch (JsonException e)
            {
                _info.TrySetException(new NatsException("bad INFO from server", e));
            }
        }

        public void OnError(string error)
        {
            // Before the handshake completes, any -ERR (typically an authorization violation) fails it.
            // Afterwards the server closes the socket itself when the error is fatal.
            var exception = new NatsServerException(error);
            if (!_ready.Task.IsCompleted) _ready.TrySetException(exception);
            owner.LastError = exception;
        }
    }

    /// <summary>The last -ERR the server sent (e.g. a permissions violation), for diagnostics.</summary>
    public NatsServerException? LastError { get; private set; }

    private async Task<Session> HandshakeAsync(CancellationToken cancellationToken)
    {
        var endpoint = NatsEndpoint.Parse(Opts);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Opts.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var session = new Session(this, socket);
        try
        {
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
            session.Start();
            await session.InfoReceived.WaitAsync(timeout.Token);

            // CONNECT, then every live subscription (restored after a reconnect), then PING:
            // the PONG proves the server accepted all of it.
            var handshake = new ArrayBufferWriter<byte>(1024);
            ProtocolWriter.WriteConnect(handshake, ConnectJson(endpoint));
            ProtocolWriter.WriteSubscribe(handshake, _inboxSid, _inboxBase + ".*", null);
            foreach (var sub in _subscriptions.Values) ProtocolWriter.WriteSubscribe(handshake, sub.Sid, sub.Subject, sub.QueueGroup);
            ProtocolWriter.WritePing(handshake);
            await socket.SendAsync(handshake.WrittenMemory, SocketFlags.None, timeout.Token);
            await session.Ready.WaitAsync(timeout.Token);
            Interlocked.Exchange(ref _pingsOut, 0);
            _session = session;
            return session;
        }
        catch (Exception e)
        {
            session.Abort(e);
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
                throw new NatsException($"could not connect to {endpoint.Host}:{endpoint.Port} within {Opts.ConnectTimeout.TotalMilliseconds:0} ms", e);
            if (e is SocketException) throw new NatsException($"could not connect to {endpoint.Host}:{endpoint.Port}: {e.Message}", e);
            throw;
        }
    }

    private byte[] ConnectJson(NatsEndpoint endpoint)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteBoolean("verbose", false);
            json.WriteBoolean("pedantic", false);
            json.WriteBoolean("tls_required", false);
            json.WriteString("name", Opts.Name);
            json.WriteString("lang", ".NET");
            json.WriteString("version", "1.0.0");
            json.WriteNumber("protocol", 1);
            json.WriteBoolean("echo", true);
            // Headers and no-responders: a request to a subject nobody serves fails at once with status 503.
            json.WriteBoolean("headers", true);
            json.WriteBoolean("no_responders", true);
            if (endpoint.User is not null) json.WriteString("user", endpoint.User);
            if (endpoint.Password is not null) json.WriteString("pass", endpoint.Password);
            if (endpoint.Token is not null) json.WriteString("auth_token", endpoint.Token);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private async Task SuperviseAsync(Session session)
    {
        while (true)
        {
            var send = SendLoopAsync(session);
            var ping = PingLoopAsync(session);
            await session.Closed;
            await send;
            await ping;
            if (_closing) return;

            FailPendingPongs(new NatsException("connection lost", session.Error ?? new NatsException("closed")));
            SetState(NatsConnectionState.Reconnecting, session.Error);
            var next = await ReconnectAsync();
            if (next is null && _closing) return; // DisposeAsync finishes the shutdown
            if (next is null)
            {
                _gaveUp = true;
                foreach (var sub in _subscriptions.Values) sub.Complete(new NatsException("connection closed: reconnect attempts exhausted"));
                FailPendingReplies(new NatsException("connection closed"));
                SetState(NatsConnectionState.Closed, session.Error);
                return;
            }

            Interlocked.Increment(ref _reconnects);
            session = next;
            SetState(NatsConnectionState.Open, null);
        }
    }

    private async Task<Session?> ReconnectAsync()
    {
        var wait = Opts.ReconnectWaitMin;
        for (var attempt = 0; Opts.MaxReconnectRetry < 0 || attempt < Opts.MaxReconnectRetry; attempt++)
        {
            try
            {
                var jitter = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Opts.ReconnectJitter.TotalMilliseconds);
                await Task.Delay(wait + jitter, _disposed.Token);
                return await HandshakeAsync(_disposed.Token);
            }
            catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception)
            {
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, Opts.ReconnectWaitMax.Ticks));
            }
        }

        return null;
    }

    /// <summary>Moves the outbound pipe to the socket. Data stays in the pipe while disconnected.</summary>
    private async Task SendLoopAsync(Session session)
    {
        var reader = _outbound.Reader;
        while (!session.IsClosed)
        {
            ReadResult result;
            try
            {
                result = await reader.ReadAsync();
            }
            catch (InvalidOperationException)
            {
                return; // pipe completed by DisposeAsync
            }

            var buffer = result.Buffer;
            if (result.IsCanceled || session.IsClosed)
            {
                reader.AdvanceTo(buffer.Start);
                continue; // a cancel meant for an earlier session is ignored; a closed session ends the loop
            }

            try
            {
                foreach (var segment in buffer)
                {
                    var remaining = segment;
                    while (!remaining.IsEmpty)
                    {
                        var sent = await session.Socket.SendAsync(remaining, SocketFlags.None, session.Token);
                        remaining = remaining[sent..];
                    }
                }
            }
            catch (Exception e)
            {
                // Nothing is consumed: the next session resends the whole batch.
                reader.AdvanceTo(buffer.Start);
                session.Abort(e);
                return;
            }

            reader.AdvanceTo(buffer.End);
            if (result.IsCompleted) return;
        }
    }

    private async Task PingLoopAsync(Session session)
    {
        try
        {
            while (!session.IsClosed)
            {
                await Task.Delay(Opts.PingInterval, session.Token);
                if (Volatile.Read(ref _pingsOut) >= Opts.MaxPingOut)
                {
                    session.Abort(new NatsException("stale connection: the server did not answer PING"));
                    return;
                }

                Interlocked.Increment(ref _pingsOut);
                _ = await SendPingAsync(session.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
