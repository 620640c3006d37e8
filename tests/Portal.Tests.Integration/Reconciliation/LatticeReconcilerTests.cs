using System.Diagnostics;
using System.Net;
using Portal.Lattice.Reconciliation;
using Portal.Testing.Processes;

namespace Portal.Tests.Integration.Reconciliation;

/// <summary>
/// The reconciler driving three real hosts through real NATS: deploy, a second pass, upgrade, host
/// loss, undeploy, and a nats-server restart in the middle of a deploy.
/// </summary>
[Collection(ReconcilerLatticeCollection.Name)]
public sealed class LatticeReconcilerTests(ReconcilerLatticeFixture lattice)
{
    private const string HttpServer = "wasmcloud+builtin://http-server";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly ReconcilerOptions Options = new()
    {
        PassInterval = TimeSpan.FromSeconds(1),
        Backoff = new BackoffTimings { Component = TimeSpan.FromSeconds(5), Link = TimeSpan.FromSeconds(3), Provider = TimeSpan.FromSeconds(10), FailureHold = TimeSpan.FromSeconds(1) },
    };

    private static Spread Zone(string name, string zone) => new(name, new Dictionary<string, string> { ["zone"] = zone });

    private static AppScalers Shop(string version, string image, uint instances, int port)
    {
        var address = new ConfigScaler { AppName = "shop", ConfigName = "shop-address", Properties = new Dictionary<string, string> { ["address"] = $"127.0.0.1:{port}" } };
        return new AppScalers("shop", version,
        [
            new ComponentSpreadScaler { AppName = "shop", ComponentName = "web", ComponentId = "shop-web", ImageRef = image, Instances = instances, Spreads = [Zone("east", "a"), Zone("west", "b")] },
            // The built-in HTTP server routes to components on its own host: keep it in zone a with the east spread.
            new ProviderSpreadScaler { AppName = "shop", ComponentName = "http", ProviderId = "shop-http", ImageRef = HttpServer, Instances = 1, Spreads = [Zone("edge", "a")] },
            new LinkScaler
            {
                AppName = "shop", SourceId = "shop-http", TargetId = "shop-web", Namespace = "wasi", Package = "http", Interfaces = ["incoming-handler"],
                SourceConfigNames = ["shop-address"], Configs = [address],
            },
        ]);
    }

    [Fact]
    public async Task Deploys_upgrades_repairs_and_undeploys_an_app()
    {
        var port = FreePort.Next();
        var desired = DesiredLattice.Empty;
        await using var reconciler = new LatticeReconciler(lattice.Client, lattice.Observer, _ => ValueTask.FromResult(desired), Options);
        var timeline = new List<TimelineEntry>();
        var statuses = new List<AppStatusChange>();
        _ = Collect(reconciler.WatchTimelineAsync(Ct), timeline);
        _ = Collect(reconciler.WatchStatusAsync(Ct), statuses);
        reconciler.Start();

        // Deploy: config first, component spread over two zones, provider, link → deployed and served by the wasm.
        var v1 = Shop("v1", lattice.HelloImage, 3, port);
        var clock = Stopwatch.StartNew();
        desired = new DesiredLattice([v1], []);
        reconciler.Wake();
        await WaitStatusAsync(reconciler, StatusType.Deployed, TimeSpan.FromSeconds(90));
        var toDeployed = clock.Elapsed;
        var sentToDeploy = reconciler.CommandsSent;
        var body = await GetAsync($"http://127.0.0.1:{port}/");
        Assert.Contains("Hello from wasm", body);
        var counts = ComponentCounts();
        Assert.Equal(3, counts.Values.Sum());
        Assert.Equal(2, counts[lattice.Hosts[0].HostId]); // zone a gets the east spread's 2 (3 × 100/100 → 2/1)
        Assert.Contains(statuses, s => s.App == "shop" && s.Status.Status.Type == StatusType.Reconciling);

        // Idempotent: a pass over the same states sends nothing.
        var second = await reconciler.RunPassAsync(Ct);
        Assert.Equal(0, second.CommandsSent);
        Assert.Equal(sentToDeploy, reconciler.CommandsSent);

        // Upgrade: a new image (a new component scaler) and 2 instances; the old scaler's instances go.
        var v2 = Shop("v2", lattice.EchoImage, 2, port);
        desired = new DesiredLattice([v2], []);
        clock.Restart();
        reconciler.Wake();
        await WaitAsync(() => ComponentsOf("shop-web").All(c => c.ImageRef == lattice.EchoImage && c.Annotations[ScalerAnnotations.Scaler] == v2.Scalers[0].Id)
                              && ComponentsOf("shop-web").Sum(c => c.MaxInstances) == 2
                              && reconciler.Statuses["shop"].Status.Type == StatusType.Deployed, TimeSpan.FromSeconds(90));
        var toUpgraded = clock.Elapsed;
        using (var echo = await SendAsync($"http://127.0.0.1:{port}/v2"))
        {
            Assert.Equal(HttpStatusCode.Created, echo.StatusCode);
        }

        Assert.Contains(timeline, t => t.Kind == TimelineKind.CleanupComplete && t.Text.Contains("v1"));

        // Host loss: kill the zone-b host running the west spread; after the reap window the other zone-b host takes it.
        var west = lattice.Hosts.Skip(1).Single(h => lattice.Observer.Snapshot.Hosts[h.HostId].Components.ContainsKey("shop-web"));
        var spare = lattice.Hosts.Skip(1).Single(h => h != west);
        clock.Restart();
        await west.AbortAsync();
        await WaitAsync(() => lattice.Observer.Snapshot.Hosts.TryGetValue(spare.HostId, out var h) && h.Components.ContainsKey("shop-web")
                              && reconciler.Statuses["shop"].Status.Type == StatusType.Deployed, TimeSpan.FromSeconds(60));
        var toRepaired = clock.Elapsed;
        Assert.Contains(timeline, t => t.Kind == TimelineKind.HostLost && t.HostId == west.HostId);
        await WaitAsync(() => timeline.Any(t => t.Kind == TimelineKind.Repaired), TimeSpan.FromSeconds(5));

        // Undeploy: everything the app owned goes; a component started by hand stays.
        var bystander = await lattice.Client.ScaleComponentAsync(new() { ComponentId = "bystander", ComponentRef = lattice.HelloImage, MaxInstances = 1, HostId = spare.HostId }, Ct);
        Assert.True(bystander.Success, bystander.Message);
        await WaitAsync(() => ComponentsOf("bystander").Any(), TimeSpan.FromSeconds(60));
        desired = new DesiredLattice([], [v2]);
        reconciler.Wake();
        await WaitAsync(() => !ComponentsOf("shop-web").Any() && !lattice.Observer.Snapshot.Hosts.Values.Any(h => h.Providers.ContainsKey("shop-http")), TimeSpan.FromSeconds(60));
        await WaitAsync(() => timeline.Any(t => t.Kind == TimelineKind.CleanupComplete && t.Text.Contains("v2")), TimeSpan.FromSeconds(30));
        Assert.DoesNotContain((await lattice.Client.GetLinksAsync(Ct)).Response!, l => l.SourceId == "shop-http");
        Assert.Null((await lattice.Client.GetConfigAsync("shop-address", Ct)).Response);
        Assert.Single(ComponentsOf("bystander"));
        Assert.Equal(AppStatus.UndeployedApp.ToJson(), reconciler.Statuses["shop"].ToJson());
        var settled = reconciler.CommandsSent;
        Assert.Equal(0, (await reconciler.RunPassAsync(Ct)).CommandsSent);
        Assert.Equal(settled, reconciler.CommandsSent);

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"deployed in {toDeployed.TotalSeconds:F1} s with {sentToDeploy} commands; upgraded in {toUpgraded.TotalSeconds:F1} s; repaired {toRepaired.TotalSeconds:F1} s after the kill; {settled} commands in all");
    }

    [Fact]
    public async Task Converges_when_nats_server_restarts_during_a_deploy()
    {
        var app = new AppScalers("restart", "v1",
        [
            new ComponentSpreadScaler { AppName = "restart", ComponentName = "web", ComponentId = "restart-web", ImageRef = lattice.HelloImage, Instances = 1 },
            new ConfigScaler { AppName = "restart", ConfigName = "restart-settings", Properties = new Dictionary<string, string> { ["mode"] = "test" } },
        ]);
        await using var reconciler = new LatticeReconciler(lattice.Client, lattice.Observer, _ => ValueTask.FromResult(new DesiredLattice([app], [])), Options);
        reconciler.Start();

        lattice.Nats.Kill();
        await Task.Delay(500, Ct);
        await lattice.Nats.RestartAsync(Ct);

        await WaitAsync(() => reconciler.Statuses.TryGetValue("restart", out var s) && s.Status.Type == StatusType.Deployed, TimeSpan.FromSeconds(90));
        Assert.Single(ComponentsOf("restart-web"));
        Assert.Equal("test", (await lattice.Client.GetConfigAsync("restart-settings", Ct)).Response!["mode"]);
        var sent = reconciler.CommandsSent;
        Assert.Equal(0, (await reconciler.RunPassAsync(Ct)).CommandsSent);
        Assert.Equal(sent, reconciler.CommandsSent);
    }

    private IEnumerable<Portal.Lattice.Observation.ObservedComponent> ComponentsOf(string id) =>
        lattice.Observer.Snapshot.Hosts.Values.Select(h => h.Components.GetValueOrDefault(id)).OfType<Portal.Lattice.Observation.ObservedComponent>();

    private Dictionary<string, int> ComponentCounts() =>
        lattice.Observer.Snapshot.Hosts.Values.Where(h => h.Components.ContainsKey("shop-web")).ToDictionary(h => h.HostId, h => (int)h.Components["shop-web"].MaxInstances);

    private static async Task Collect<T>(IAsyncEnumerable<T> source, List<T> into)
    {
        try
        {
            await foreach (var item in source)
            {
                lock (into) into.Add(item);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static Task WaitStatusAsync(LatticeReconciler reconciler, StatusType type, TimeSpan timeout) =>
        WaitAsync(() => reconciler.Statuses.TryGetValue("shop", out var s) && s.Status.Type == type, timeout);

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(100, Ct);
        }
    }

    private static async Task<string> GetAsync(string url)
    {
        using var response = await SendAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    /// <summary>Retries while the listener comes up (the link reaches the provider through the store's watch).</summary>
    private static async Task<HttpResponseMessage> SendAsync(string url)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                var response = await Http.GetAsync(url, Ct);
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable && response.StatusCode != HttpStatusCode.NotFound || DateTime.UtcNow > deadline) return response;
                response.Dispose();
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            await Task.Delay(100, Ct);
        }
    }
}
