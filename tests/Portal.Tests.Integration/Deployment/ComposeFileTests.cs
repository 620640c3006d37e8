using System.Diagnostics;
using Portal.Testing;

namespace Portal.Tests.Integration.Deployment;

/// <summary>The machines have no Docker engine, but docker-compose can still validate the file.</summary>
public sealed class ComposeFileTests
{
    [Fact]
    public async Task Docker_compose_accepts_the_compose_file()
    {
        var info = new ProcessStartInfo("docker-compose", ["config", "--services"])
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.True(process.ExitCode == 0, errors);
        string[] expected = ["postgres", "nats", "portal-migrate", "portal-web", "portal-host", "wasmcloud-1", "wasmcloud-2"];
        Assert.Equal(expected.Order(), output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
    }
}
