namespace Portal.Web.Components.Applications;

/// <summary>
/// Re-queries a page when the deployment status feed says something changed. Runs on the
/// circuit's renderer (through the component's InvokeAsync), so the flags need no lock; notices
/// arriving while a re-query runs collapse into one more run, so a burst of reconciler writes
/// costs two queries, not one per write.
/// </summary>
public sealed class LiveRefresh(Func<Func<Task>, Task> invokeAsync, Func<Task> refreshAsync)
{
    private bool _running;
    private bool _again;

    public Task RequestAsync() => invokeAsync(async () =>
    {
        if (_running)
        {
            _again = true;
            return;
        }
        _running = true;
        try
        {
            do
            {
                _again = false;
                await refreshAsync();
            }
            while (_again);
        }
        finally
        {
            _running = false;
        }
    });
}
