using System.Diagnostics;
using System.Text.Json;
using Benchmarks.Reconciler;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Api.Lattices;
using Portal.Lattice.Control;
using Portal.Lattice.Nats;
using Portal.Testing;

namespace Benchmarks.Topology;

/// <summary>
/// S8: the live topology page with 500 light hosts running 5,000 component instances, over a real
/// nats-server, in a portal-web hosted by this process and Debian's Chromium.
/// (a) Memory per circuit: the managed heap after full blocking compacting collections, before and
///     after 100 circuits of the Overview page (the "hello" page: the console layout and a few
///     links), then after 100 circuits of the topology page. Each page is opened in the browser,
///     waited for (interactive; for the topology: its graph drawn), then closed with Blazor's
///     unload beacon blocked, so the portal keeps the circuit as it keeps one whose connection
///     dropped: the whole component tree and the page's live watch stay on the server. The number
///     of circuits alive is counted by a circuit handler and printed beside the figures.
/// (b) Latency: a light host announces component_scaled (timestamped just before the publish);
///     the browser records, with a MutationObserver, when the page's instance count changes in the
///     DOM; p50/p95 over 200 sequential samples, vs the round trip of a bare SignalR echo hub from
///     the same browser (200 invocations after 50 warm-up).
/// Run with <c>./portal bench s8</c>.
/// </summary>
internal static class S8TopologyBenchmark
{
    private const int HostCount = 500;
    private const int ComponentsPerHost = 10;
    private const int Zones = 10;
    private const int Circuits = 100;
    private const int Samples = 200;
    private const string Email = "s8@example.test";
    private const string Graph = "window.portalTopologyGraphs?.topology";
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync()
    {
        Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");
        var servers = new PortalServers();
        await servers.InitializeAsync();
        var hosts = new List<LightHost>();
        try
        {
            await using var portal = new S8Portal(servers) { EnvironmentName = "Production" };
            await portal.InitializeAsync();
            var scenario = new PortalScenario(portal);
            var user = await scenario.UserAsync(Email);
            await scenario.TenantAsync(user, "bench");
            var context = await scenario.ContextAsync("bench", user);
            var lattice = await portal.WithScopeAsync(sp => sp.GetRequiredService<LatticeService>().CreateAsync(context, new CreateLatticeRequest("dev")));

            var loading = Stopwatch.StartNew();
            var shared = new SharedLatticeData();
            for (var i = 0; i < HostCount; i++)
            {
                hosts.Add(await LightHost.StartAsync(servers.Nats.Url, lattice.LatticeId, new() { ["zone"] = $"z{i % Zones}" }, shared, Heartbeat));
            }

            await using (var nats = new NatsConnection(new NatsOpts { Url = servers.Nats.Url, Name = "s8-loader" }))
            {
                await nats.ConnectAsync();
                var client = new LatticeClient(nats, new LatticeClientOptions { Lattice = lattice.LatticeId, Timeout = TimeSpan.FromSeconds(10) });
                var work = hosts.SelectMany(h => Enumerable.Range(0, ComponentsPerHost).Select(c => (h.HostId, Component: $"c{c}")));
                await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (item, ct) =>
                {
                    var reply = await client.ScaleComponentAsync(new ScaleComponentCommand { ComponentId = item.Component, ComponentRef = "file:///c.wasm", HostId = item.HostId, MaxInstances = 1 }, ct);
                    if (!reply.Success) throw new InvalidOperationException(reply.Message);
                });
            }

            Console.WriteLine($"S8: {HostCount} light hosts with {HostCount * ComponentsPerHost} component instances loaded in {loading.Elapsed.TotalSeconds:F1} s");

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Environment.GetEnvironmentVariable("PORTAL_CHROMIUM") ?? "/usr/bin/chromium",
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
            });
            var session = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
            session.SetDefaultTimeout(120_000);
            // A closed page would end its circuit through this beacon; without it the circuit stays, as after a dropped connection.
            // (Blazor sends it with navigator.sendBeacon on pagehide, which request routing does not see.)
            await session.AddInitScriptAsync("navigator.sendBeacon = () => true;");
            var live = await session.NewPageAsync();
            await SignInAsync(live, portal.BaseUrl);
            var total = HostCount * ComponentsPerHost;
            await OpenTopologyAsync(live, portal.BaseUrl, total);

            // (b) first, while only this page watches the lattice.
            var latency = await MeasureEventToDomAsync(live, hosts, total);
            await using var echo = await EchoServer.StartAsync();
            var echoTimes = await MeasureEchoAsync(session, echo.Urls.First());
            PrintLatency(latency, echoTimes, total);

            Console.WriteLine($"S8: opening {Circuits} hello and {Circuits} topology circuits…");
            // (a) memory: warm-up (one hello circuit, opened and closed), then the two batches.
            await OpenAndLeaveAsync(session, portal.BaseUrl + "/", page => WaitInteractiveAsync(page));
            var circuits0 = CircuitCounter.Alive;
            var heap0 = Heap();
            for (var i = 0; i < Circuits; i++) await OpenAndLeaveAsync(session, portal.BaseUrl + "/", page => WaitInteractiveAsync(page));
            var circuits1 = CircuitCounter.Alive;
            var heap1 = Heap();
            for (var i = 0; i < Circuits; i++) await OpenAndLeaveAsync(session, portal.BaseUrl + "/lattices/dev/topology", WaitForGraphAsync);
            var circuits2 = CircuitCounter.Alive;
            var heap2 = Heap();

            var hello = (heap1 - heap0) / (double)(circuits1 - circuits0);
            var topology = (heap2 - heap1) / (double)(circuits2 - circuits1);
            Console.WriteLine();
            Console.WriteLine($"S8 (a) memory per circuit, managed heap after full GCs ({circuits1 - circuits0} hello + {circuits2 - circuits1} topology circuits held; alive: {circuits0} → {circuits1} → {circuits2})");
            Console.WriteLine($"  hello page (Overview)     {hello / 1024,10:F1} KiB");
            Console.WriteLine($"  topology page             {topology / 1024,10:F1} KiB   = {topology / hello:F2}x hello   (target ≤ 4x)");
            return 0;
        }
        finally
        {
            foreach (var host in hosts) await host.DisposeAsync();
            await servers.DisposeAsync();
        }
    }

    private static void PrintLatency(List<double> latency, List<double> echoTimes, int total)
    {
        Console.WriteLine();
        Console.WriteLine($"S8 (b) NATS event → DOM update on the topology page, {latency.Count} samples, {HostCount} hosts / {total} instances loaded");
        Console.WriteLine($"  event → DOM               p50 {Percentile(latency, 0.50),8:F1} ms   p95 {Percentile(latency, 0.95),8:F1} ms   max {latency.Max(),8:F1} ms   (target p95 < 250 ms)");
        Console.WriteLine($"  bare SignalR echo         p50 {Percentile(echoTimes, 0.50),8:F1} ms   p95 {Percentile(echoTimes, 0.95),8:F1} ms   max {echoTimes.Max(),8:F1} ms");
        Console.WriteLine($"  ratio p95                 {Percentile(latency, 0.95) / Percentile(echoTimes, 0.95):F1}x the echo round trip");
    }

    private static async Task<List<double>> MeasureEventToDomAsync(IPage page, List<LightHost> hosts, int total)
    {
        await page.EvaluateAsync("""
            () => {
              window.__s8 = [];
              const counts = document.querySelector('[data-testid=topology-counts]');
              new MutationObserver(() => window.__s8.push({ text: counts.textContent, t: performance.timeOrigin + performance.now() }))
                .observe(counts, { childList: true, characterData: true, subtree: true });
            }
            """);
        var times = new List<double>();
        var counts = new Dictionary<string, uint>();
        for (var i = 0; i < Samples + 10; i++)
        {
            // One more instance of c0 on the next host: the page's count goes up by one.
            var host = hosts[i % hosts.Count];
            var count = counts[host.HostId] = counts.GetValueOrDefault(host.HostId, 1u) + 1;
            total++;
            var sent = await host.AnnounceScaleAsync("c0", "file:///c.wasm", count);
            var seen = await page.WaitForFunctionAsync("(n) => window.__s8.find(e => e.text.includes(n + ' actor instances'))?.t", total, new() { PollingInterval = 5 });
            var at = (await seen.JsonValueAsync<JsonElement>()).GetDouble();
            // The first ten warm the path up.
            if (i >= 10) times.Add(at - sent.ToUnixTimeMilliseconds() - sent.Ticks % TimeSpan.TicksPerMillisecond / (double)TimeSpan.TicksPerMillisecond);
        }

        return times;
    }

    private static async Task<List<double>> MeasureEchoAsync(IBrowserContext session, string url)
    {
        var page = await session.NewPageAsync();
        await page.GotoAsync(url);
        var times = await page.EvaluateAsync<double[]>($$"""
            async () => {
              const connection = new signalR.HubConnectionBuilder().withUrl('/echo').build();
              await connection.start();
              for (let i = 0; i < 50; i++) await connection.invoke('Echo', 'warm');
              const times = [];
              for (let i = 0; i < {{Samples}}; i++) {
                const started = performance.now();
                await connection.invoke('Echo', 'sample ' + i);
                times.push(performance.now() - started);
              }
              await connection.stop();
              return times;
            }
            """);
        await page.CloseAsync();
        return [.. times];
    }

    private static async Task SignInAsync(IPage page, string baseUrl)
    {
        await page.GotoAsync(baseUrl + "/account/login");
        await page.GetByLabel("E-mail").FillAsync(Email);
        await page.GetByLabel("Password").FillAsync(PortalScenario.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Overview" }).WaitForAsync();
    }

    private static async Task OpenTopologyAsync(IPage page, string baseUrl, int total)
    {
        await page.GotoAsync(baseUrl + "/lattices/dev/topology");
        await WaitForGraphAsync(page);
        await page.GetByTestId("topology-counts").Filter(new() { HasText = $"{total} actor instances" }).WaitForAsync();
    }

    private static async Task WaitForGraphAsync(IPage page)
    {
        await WaitInteractiveAsync(page);
        await page.WaitForFunctionAsync($"() => ({Graph}?.applied() ?? 0) >= 1");
        await page.GetByTestId("topology-counts").Filter(new() { HasText = $"{HostCount} hosts" }).WaitForAsync();
    }

    private static Task WaitInteractiveAsync(IPage page) => page.Locator("body[data-interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    private static async Task OpenAndLeaveAsync(IBrowserContext session, string url, Func<IPage, Task> ready)
    {
        var page = await session.NewPageAsync();
        await page.GotoAsync(url);
        await ready(page);
        await page.CloseAsync();
    }

    private static long Heap()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }
}
