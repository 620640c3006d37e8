using System.Collections.Concurrent;
using System.Diagnostics;
using Portal.Host.Engine.Protocol;

namespace Portal.Host.Engine.Sidecar;

/// <summary>
/// One running sidecar process and its framed stdio. Requests are pipelined: each gets a request id
/// and a pending completion; a reader thread matches answers by id. Frames are written by the
/// threads that send them, one at a time: a sender that finds another one writing leaves its frame
/// in the queue, and the writing thread takes it along in the same write.
/// </summary>
/// <remarks>
/// Every hop between threads costs a wake-up, and on small shared machines wake-ups are what a
/// request through the sidecar mostly pays for (benchmark S1). So there is no writer loop to hand a
/// frame to, and the reader is a dedicated thread blocked in a read rather than an asynchronous
/// loop (an epoll wake-up plus a thread-pool hop per read).
/// </remarks>
internal sealed class SidecarConnection : IAsyncDisposable
{
    private const int BatchBytes = 64 * 1024;
    private readonly Process _process;
    private readonly Stream _stdin;
    private readonly ConcurrentQueue<FrameWriter> _outbox = new();
    private readonly byte[] _batch = new byte[BatchBytes];
    private int _writing;
    private int _readerThreadId;
    private readonly ConcurrentDictionary<uint, TaskCompletionSource<Frame>> _pending = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<Frame> _onEvent;
    private readonly Action<SidecarConnection, Frame> _onHostCall;
    private readonly Action<string> _onStderr;
    private uint _nextId;
    private volatile bool _closed;

    private SidecarConnection(Process process, Action<Frame> onEvent, Action<SidecarConnection, Frame> onHostCall, Action<string> onStderr)
    {
        _process = process;
        _stdin = process.StandardInput.BaseStream;
        _onEvent = onEvent;
        _onHostCall = onHostCall;
        _onStderr = onStderr;
    }

    public int ProcessId => _process.Id;

    /// <summary>Completes when the sidecar announced itself with a Ready frame.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Completes when the sidecar's stdout closed (it exited or was killed).</summary>
    public Task Exited => _exited.Task;

    /// <summary>
    /// Starts the sidecar. <paramref name="onEvent"/> gets Event and GuestLog frames;
    /// <paramref name="onHostCall"/> gets HostCall frames (on the reader loop: it must not block, and
    /// answers later with <see cref="Post"/>).
    /// </summary>
    public static SidecarConnection Start(ActorEngineOptions options, string sidecarDirectory, Action<Frame> onEvent,
        Action<SidecarConnection, Frame> onHostCall, Action<string> onStderr)
    {
        var start = new ProcessStartInfo(options.NodePath)
        {
            WorkingDirectory = sidecarDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(sidecarDirectory, SidecarLocator.Script));
        start.ArgumentList.Add("--workers");
        start.ArgumentList.Add(options.Workers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--cache-dir");
        start.ArgumentList.Add(options.CacheDirectory);
        // The sidecar gets no host environment to leak to actors: only what Node itself needs.
        var path = Environment.GetEnvironmentVariable("PATH");
        start.Environment.Clear();
        if (path is not null) start.Environment["PATH"] = path;

        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var connection = new SidecarConnection(process, onEvent, onHostCall, onStderr);
        var reader = new Thread(connection.ReadLoop) { IsBackground = true, Name = "sidecar reader" };
        connection._readerThreadId = reader.ManagedThreadId;
        reader.Start();
        _ = connection.StderrLoopAsync();
        return connection;
    }

    /// <summary>Sends one request frame and waits for the frame that answers it.</summary>
    public async Task<Frame> SendAsync(FrameType type, Action<FrameWriter> build, int sizeHint, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        // Continuations run on the reader thread that completes them: the caller's next step (an HTTP
        // response write, usually synchronous into Kestrel's pipe) costs less there than a hop to
        // another thread per answer. Callers must therefore not block after the await.
        var answer = new TaskCompletionSource<Frame>();
        _pending[id] = answer;
        var writer = new FrameWriter(type, id, sizeHint);
        try
        {
            build(writer);
        }
        catch
        {
            writer.Dispose();
            _pending.TryRemove(id, out _);
            throw;
        }

        if (!Enqueue(writer))
        {
            writer.Dispose();
            _pending.TryRemove(id, out _);
            throw new SidecarExitedException("The sidecar is not running.");
        }

        // Closed meanwhile: the reader thread may have failed the pending answers before this one
        // was added, and then nothing would ever complete it (the queued frame is dropped unwritten).
        if (_closed && _pending.TryRemove(id, out _)) throw new SidecarExitedException("The sidecar is not running.");

        await using var registration = cancellationToken.Register(() =>
        {
            if (_pending.TryRemove(id, out var pending)) pending.TrySetCanceled(cancellationToken);
        });
        return await answer.Task.ConfigureAwait(false);
    }

    /// <summary>Queues a frame that answers nothing of ours (a HostReturn); false when the sidecar is gone.</summary>
    public bool Post(FrameWriter frame)
    {
        if (Enqueue(frame)) return true;
        frame.Dispose();
        return false;
    }

    /// <summary>
    /// Queues the frame and writes the queue unless another thread is writing it (then that one
    /// takes it). The reader thread never writes: blocked on a full stdin while the sidecar is
    /// blocked on a full stdout, neither would read again.
    /// </summary>
    private bool Enqueue(FrameWriter frame)
    {
        if (_closed) return false;
        _outbox.Enqueue(frame);
        if (Environment.CurrentManagedThreadId == _readerThreadId)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static c => c.Drain(), this, preferLocal: false);
        }
        else
        {
            Drain();
        }

        return true;
    }

    private void Drain()
    {
        // Checked again after the flag is released: a frame queued while the last writer was
        // finishing would otherwise wait for the next sender.
        while (!_outbox.IsEmpty && Interlocked.CompareExchange(ref _writing, 1, 0) == 0)
        {
            try
            {
                WriteQueued();
            }
            finally
            {
                Volatile.Write(ref _writing, 0);
            }
        }
    }

    /// <summary>
    /// Writes what is queued, frames queued together in one write: the sidecar's main thread hands
    /// all the jobs of one read to a worker in a single message. Blocking writes: the sidecar reads
    /// its stdin continuously, so a write waits at most for a large body to be taken.
    /// </summary>
    private void WriteQueued()
    {
        var used = 0;
        try
        {
            while (_outbox.TryDequeue(out var frame))
            {
                using (frame)
                {
                    var bytes = frame.Written.Span;
                    if (used + bytes.Length > _batch.Length && used > 0)
                    {
                        _stdin.Write(_batch, 0, used);
                        used = 0;
                    }

                    if (bytes.Length > _batch.Length)
                    {
                        _stdin.Write(bytes);
                        continue;
                    }

                    bytes.CopyTo(_batch.AsSpan(used));
                    used += bytes.Length;
                }
            }

            if (used > 0) _stdin.Write(_batch, 0, used);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The sidecar is gone: the reader thread notices and fails what is pending.
            while (_outbox.TryDequeue(out var dropped)) dropped.Dispose();
        }
    }

    private void ReadLoop()
    {
        try
        {
            var reader = new FrameReader(_process.StandardOutput.BaseStream);
            while (reader.Read() is { } frame)
            {
                switch (frame.Type)
                {
                    case FrameType.Ready:
                        _ready.TrySetResult();
                        break;
                    case FrameType.Event or FrameType.GuestLog:
                        _onEvent(frame);
                        break;
                    case FrameType.HostCall:
                        _onHostCall(this, frame);
                        break;
                    default:
                        if (_pending.TryRemove(frame.RequestId, out var pending)) pending.TrySetResult(frame);
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ObjectDisposedException)
        {
            _onStderr($"sidecar stream failed: {e.Message}");
        }
        finally
        {
            Close();
        }
    }

    private void Close()
    {
        _closed = true;
        while (_outbox.TryDequeue(out var dropped)) dropped.Dispose();
        var failure = new SidecarExitedException("The sidecar exited while the request was in flight.");
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var pending)) pending.TrySetException(failure);
        }

        _ready.TrySetException(failure);
        _exited.TrySetResult();
    }

    private async Task StderrLoopAsync()
    {
        try
        {
            while (await _process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line) _onStderr(line);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Kills the process (used when it must die now: disposal timeout, tests of supervision).</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _closed = true;
        try
        {
            // Closing stdin asks the sidecar to exit; give it a moment, then insist.
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
        }

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }

        await Exited.WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        _process.Dispose();
    }
}
