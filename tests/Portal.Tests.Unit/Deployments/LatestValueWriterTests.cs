using System.Collections.Concurrent;
using Portal.Api.Deployments.Runtime;

namespace Portal.Tests.Unit.Deployments;

public sealed class LatestValueWriterTests
{
    [Fact]
    public async Task Writes_each_keys_newest_value_never_one_key_twice_at_once_and_skips_superseded_ones()
    {
        var written = new ConcurrentQueue<(string Key, int Value)>();
        var active = new ConcurrentDictionary<string, int>();
        var overlapped = false;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writer = new LatestValueWriter<int>(async (key, value, _) =>
        {
            if (active.AddOrUpdate(key, 1, (_, n) => n + 1) > 1) overlapped = true;
            if (key == "a" && value == 1) await release.Task; // "a" is busy while newer values arrive
            written.Enqueue((key, value));
            active.AddOrUpdate(key, 0, (_, n) => n - 1);
        }, writers: 4);
        using var stop = new CancellationTokenSource();
        var run = writer.RunAsync(stop.Token);

        writer.Post("a", 1);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        writer.Post("a", 2);
        writer.Post("a", 3);
        writer.Post("b", 1);
        release.SetResult();
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (written.Count < 3 && DateTime.UtcNow < deadline) await Task.Delay(10, TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        await stop.CancelAsync();
        await run;

        Assert.Equal([1, 3], written.Where(w => w.Key == "a").Select(w => w.Value));
        Assert.Equal([1], written.Where(w => w.Key == "b").Select(w => w.Value));
        Assert.False(overlapped);
    }
}
