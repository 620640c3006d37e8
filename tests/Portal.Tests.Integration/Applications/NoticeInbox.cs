using System.Threading.Channels;
using Portal.Api.Deployments;

namespace Portal.Tests.Integration.Applications;

/// <summary>Collects what a <see cref="DeploymentStatusFeed"/> subscriber receives, for waiting on and asserting.</summary>
internal sealed class NoticeInbox
{
    private readonly Channel<DeploymentStatusNotice> _arrivals = Channel.CreateUnbounded<DeploymentStatusNotice>();
    private readonly List<DeploymentStatusNotice> _all = [];

    public IReadOnlyList<DeploymentStatusNotice> All
    {
        get { lock (_all) return [.. _all]; }
    }

    public Task Add(DeploymentStatusNotice notice)
    {
        lock (_all) _all.Add(notice);
        _arrivals.Writer.TryWrite(notice);
        return Task.CompletedTask;
    }

    /// <summary>The next notice that matches; fails after a generous timeout (the machines are shared).</summary>
    public async Task<DeploymentStatusNotice> NextAsync(Func<DeploymentStatusNotice, bool> match)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        try
        {
            while (true)
            {
                var notice = await _arrivals.Reader.ReadAsync(timeout.Token);
                if (match(notice)) return notice;
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No matching notice; received: {string.Join(", ", All)}");
        }
    }
}
