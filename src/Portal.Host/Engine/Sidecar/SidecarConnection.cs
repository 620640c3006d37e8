using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Portal.Host.Engine.Protocol;

namespace Portal.Host.Engine.Sidecar;

/// <summary>
/// One running sidecar process and its framed stdio. Requests are pipelined: each gets a request id
/// and a pending completion; one reader loop matches answers by id, one writer loop owns stdin
/// (frames are queued, and those queued together are written in one go and flushed when the queue runs dry).
/// </summary>
internal sealed class SidecarConnection : IAsyncDisposable
{
    private const int BatchBytes = 64 * 1024;
    private readonly Process _process;
    private readonly Channel<FrameWriter> _outbox = Channel.CreateUnbounded<FrameWriter>(new() { SingleReader = true });
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
        _ = connection.ReadLoopAsync();
        _ = connection.WriteLoopAsync();
        _ = connection.StderrLoopAsync();
        return connection;
    }

    /// <summary>Sends one request frame and waits for the frame that answers it.</summary>
    public async Task<Frame> SendAsync(FrameType type, Action<FrameWriter> build, int sizeHint, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        // Continuations run on the reader loop that completes them: the caller's next step (an HTTP
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

        if (_closed || !_outbox.Writer.TryWrite(writer))
        {
            writer.Dispose();
            _pending.TryRemove(id, out _);
            throw new SidecarExitedException("The sidecar is not running.");
        }

        await using var registration = cancellationToken.Register(() =>
        {
            if (_pending.TryRemove(id, out var pending)) pending.TrySetCanceled(cancellationToken);
        });
        return await answer.Task.ConfigureAwait(false);
    }

    /// <summary>Queues a frame that answers nothing of ours (a HostReturn); false when the sidecar is gone.</summary>
    public bool Post(FrameWriter frame)
    {
        if (!_closed && _outbox.Writer.TryWrite(frame)) return true;
        frame.Dispose();
        return false;
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            var reader = new FrameReader(_process.StandardOutput.BaseStream);
            while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false) is { } frame)
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
        _outbox.Writer.TryComplete();
        var failure = new SidecarExitedException("The sidecar exited while the request was in flight.");
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var pending)) pending.TrySetException(failure);
        }

        _ready.TrySetException(failure);
        _exited.TrySetResult();
    }

    private async Task WriteLoopAsync()
    {
        var stdin = _process.StandardInput.BaseStream;
        // Frames queued together leave in one write: a write per frame cost a syscall each here and,
        // worse, a separate read and dispatch in the sidecar, whose main thread hands all the jobs
        // of one read to a worker in a single message.
        var batch = new byte[BatchBytes];
        try
        {
            while (await _outbox.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                var used = 0;
                while (_outbox.Reader.TryRead(out var frame))
                {
                    using (frame)
                    {
                        var bytes = frame.Written;
                        if (used + bytes.Length > batch.Length && used > 0)
                        {
                            await stdin.WriteAsync(batch.AsMemory(0, used)).ConfigureAwait(false);
                            used = 0;
                        }

                        if (bytes.Length > batch.Length)
                        {
                            await stdin.WriteAsync(bytes).ConfigureAwait(false);
                            continue;
                        }

                        bytes.Span.CopyTo(batch.AsSpan(used));
                        used += bytes.Length;
                    }
                }

                if (used > 0) await stdin.WriteAsync(batch.AsMemory(0, used)).ConfigureAwait(false);
                await stdin.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The reader loop notices the exit and fails what is pending.
        }

        while (_outbox.Reader.TryRead(out var dropped)) dropped.Dispose();
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
        _outbox.Writer.TryComplete();
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
