using System.Diagnostics;

namespace Portal.Tests.Integration.Host.Lattice;

/// <summary>Runs the Node scripts of Host/external (reference nats.js and nkeys.js clients), installing their packages first if needed.</summary>
public static class ExternalScripts
{
    public static string Directory { get; } = FindDirectory();

    public static async Task<(int Exit, string Output)> NodeAsync(string script, string[] arguments, CancellationToken cancellationToken)
    {
        if (!System.IO.Directory.Exists(Path.Combine(Directory, "node_modules"))) await RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], cancellationToken);
        return await RunAsync("node", [Path.Combine(Directory, script), .. arguments], cancellationToken);
    }

    private static async Task<(int Exit, string Output)> RunAsync(string program, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static string FindDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Portal.Tests.Integration", "Host", "external");
            if (File.Exists(Path.Combine(candidate, "check.mjs"))) return candidate;
        }

        throw new DirectoryNotFoundException("tests/Portal.Tests.Integration/Host/external not found above the test assembly.");
    }
}
