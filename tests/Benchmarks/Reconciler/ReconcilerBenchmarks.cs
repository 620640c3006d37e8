using System.Diagnostics;
using Portal.Lattice.Observation;
using Portal.Lattice.Reconciliation;

namespace Benchmarks.Reconciler;

/// <summary>
/// S4 (deploy at scale) and S5 (repair after a host loss): timed runs of the real
/// <see cref="LatticeReconciler"/> against 20 light protocol hosts over a real nats-server, each
/// status written to Postgres through the portal's DeploymentStatusWriter. The floors are measured
/// in the same run: the command round trip and one status write.
/// </summary>
internal static class ReconcilerBenchmarks
{
    public static async Task<int> RunS4Async()
    {
        await using var bench = await BenchLattice.StartAsync();
        var roundTrip = await bench.MeasureRoundTripAsync();
        var write = await bench.MeasureStatusWriteAsync();
        var (elapsed, commands, second, reconciler, stop, pump) = await DeployAllAsync(bench);
        await using (reconciler)
        {
            var floor = BenchLattice.MinimalCommands * roundTrip / BenchLattice.MaxInFlight + BenchLattice.Apps * write;
            Console.WriteLine();
            Console.WriteLine($"S4 — {BenchLattice.Apps} apps × {BenchLattice.Instances} instances ({BenchLattice.Zones} zone spreads) over {BenchLattice.HostCount} light hosts, in-flight limit {BenchLattice.MaxInFlight}");
            Console.WriteLine($"  round trip (component.scale, median) {roundTrip.TotalMilliseconds:F3} ms; status write (median) {write.TotalMilliseconds:F3} ms");
            Console.WriteLine($"  floor = {BenchLattice.MinimalCommands} × rtt ÷ {BenchLattice.MaxInFlight} + {BenchLattice.Apps} × write = {floor.TotalMilliseconds:F0} ms");
            Console.WriteLine($"  all deployed (status stored) after {elapsed.TotalMilliseconds:F0} ms = {elapsed / floor:F2}x floor   target ≤ 3x");
            Console.WriteLine($"  status rows written {pump.Writes} (each app's newest status, {StatusPump.Writers} writers; an app reports reconciling, then deployed)");
            Console.WriteLine($"  commands sent {commands} vs minimal {BenchLattice.MinimalCommands} = {(double)commands / BenchLattice.MinimalCommands:F3}   target ≤ 1.05");
            Console.WriteLine($"  immediate second pass sent {second} command(s)   target 0");
            await stop.CancelAsync();
        }

        return 0;
    }

    public static async Task<int> RunS5Async()
    {
        await using var bench = await BenchLattice.StartAsync();
        var roundTrip = await bench.MeasureRoundTripAsync();
        var write = await bench.MeasureStatusWriteAsync();
        var (_, _, _, reconciler, stop, pump) = await DeployAllAsync(bench);
        await using (reconciler)
        {
            // The victim: the host running most of the apps' instances.
            var snapshot = bench.Observer.Snapshot;
            var victim = bench.Hosts.OrderByDescending(h => h.ComponentCount).First();
            var affected = snapshot.Hosts[victim.HostId].Components.Values
                .Select(c => c.Annotations.GetValueOrDefault(ScalerAnnotations.AppSpec)).OfType<string>().Distinct().ToList();
            var lost = snapshot.Hosts[victim.HostId].Components.Count;
            var commandsBefore = reconciler.CommandsSent;

            var detected = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnChanged(object? sender, LatticeChange change)
            {
                if (change.Kind == LatticeChangeKind.HostRemoved && change.HostId == victim.HostId) detected.TrySetResult(Stopwatch.GetTimestamp());
            }

            bench.Observer.Changed += OnChanged;
            var crashed = Stopwatch.GetTimestamp();
            await victim.CrashAsync();
            var detectedAt = await detected.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var repaired = await pump.WaitDeployedAsync(affected, detectedAt, TimeSpan.FromSeconds(60));
            var repairedAt = Stopwatch.GetTimestamp();
            bench.Observer.Changed -= OnChanged;

            var detection = Stopwatch.GetElapsedTime(crashed, detectedAt);
            var repair = Stopwatch.GetElapsedTime(detectedAt, repairedAt);
            var repairCommands = reconciler.CommandsSent - commandsBefore;
            var floor = lost * roundTrip / Math.Min(lost, BenchLattice.MaxInFlight) + affected.Count * write;
            Console.WriteLine();
            Console.WriteLine($"S5 — kill 1 of {BenchLattice.HostCount} light hosts (it ran {lost} instance spreads of {affected.Count} apps); heartbeat {BenchLattice.Heartbeat.TotalSeconds:F0} s, reap window {BenchLattice.ReapAfter.TotalSeconds:F0} s (checked every {BenchLattice.ReapInterval.TotalMilliseconds:F0} ms)");
            Console.WriteLine($"  detection {detection.TotalMilliseconds:F0} ms after the kill vs reap window {BenchLattice.ReapAfter.TotalMilliseconds:F0} ms = {detection / BenchLattice.ReapAfter:F2}x (the last heartbeat came up to {BenchLattice.Heartbeat.TotalMilliseconds:F0} ms before the kill)");
            Console.WriteLine($"  repair {(repaired ? "" : "NOT COMPLETE ")}{repair.TotalMilliseconds:F0} ms after detection (all affected apps stored deployed again), {repairCommands} command(s) vs minimal {lost}");
            Console.WriteLine($"  repair floor = {lost} × rtt ({roundTrip.TotalMilliseconds:F3} ms) ÷ {Math.Min(lost, BenchLattice.MaxInFlight)} + {affected.Count} × write ({write.TotalMilliseconds:F3} ms) = {floor.TotalMilliseconds:F1} ms; repair = {repair / floor:F2}x floor   target ≤ 3x");
            await stop.CancelAsync();
        }

        return 0;
    }

    /// <summary>Starts the reconciler on the 200 apps and waits until every app's deployed status is stored; then one more pass.</summary>
    private static async Task<(TimeSpan Elapsed, long Commands, int SecondPass, LatticeReconciler Reconciler, CancellationTokenSource Stop, StatusPump Pump)> DeployAllAsync(BenchLattice bench)
    {
        var stop = new CancellationTokenSource();
        var reconciler = new LatticeReconciler(bench.Client, bench.Observer, _ => ValueTask.FromResult(bench.Desired), bench.Options);
        var pump = new StatusPump(bench, reconciler, stop.Token);
        var apps = bench.Desired.Deployed.Select(a => a.AppName).ToList();
        var started = Stopwatch.GetTimestamp();
        reconciler.Start();
        if (!await pump.WaitDeployedAsync(apps, started, TimeSpan.FromMinutes(3))) throw new TimeoutException("not every app was deployed within 3 minutes");
        var elapsed = Stopwatch.GetElapsedTime(started);
        var commands = reconciler.CommandsSent;
        var second = await reconciler.RunPassAsync();
        return (elapsed, commands, second.CommandsSent, reconciler, stop, pump);
    }
}
