using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using Portal.Api.Deployments.Runtime;

namespace Portal.Tests.Integration.Deployments;

/// <summary>Two replicas of one installation (one database): one holds the lock and reconciles; a deploy on the other reaches it.</summary>
[Collection(DeploymentLatticeCollection.Name)]
public sealed class ReplicaTests(DeploymentLatticeFixture lattice)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Only_the_lock_holder_reconciles_and_a_deploy_on_the_other_replica_wakes_it()
    {
        await using var second = new ReconcilingPortal(lattice.Servers, lattice.Portal.ConnectionString);
        await second.InitializeAsync();
        var first = lattice.Portal;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(first.Reconciler.IsLeader ^ second.Reconciler.IsLeader) && DateTime.UtcNow < deadline) await Task.Delay(100, Ct);
        Assert.True(first.Reconciler.IsLeader ^ second.Reconciler.IsLeader, "exactly one replica leads");
        var (leader, follower) = first.Reconciler.IsLeader ? (first, second) : (second, first);
        Assert.Equal(1, await LockHoldersAsync());

        // Deploy through the follower's REST API (the same token: one installation).
        using var api = new HttpClient { BaseAddress = new Uri(follower.BaseUrl) };
        api.DefaultRequestHeaders.Authorization = lattice.Api.DefaultRequestHeaders.Authorization;
        var apps = $"/api/v1/tenants/{DeploymentLatticeFixture.Slug}/applications";
        var manifest = $$"""
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata:
              name: replica
              annotations:
                version: "1"
            spec:
              components:
                - name: hello
                  type: component
                  properties:
                    image: {{lattice.ImageRef("1")}}
                  traits:
                    - type: spreadscaler
                      properties:
                        instances: 1
                        spread:
                          - name: b
                            requirements:
                              zone: b
            """;
        (await api.PostAsync(apps, new StringContent(manifest, Encoding.UTF8, "application/yaml"), Ct)).EnsureSuccessStatusCode();
        var before = leader.Reconciler.CommandsSent;
        (await api.PostAsJsonAsync($"{apps}/replica/deploy", new { lattice = "dev", version = "1" }, Ct)).EnsureSuccessStatusCode();

        deadline = DateTime.UtcNow.AddSeconds(120);
        string? type = null;
        while (type != "deployed" && DateTime.UtcNow < deadline)
        {
            var status = await api.GetFromJsonAsync<JsonElement>($"{apps}/replica/status", Ct);
            type = status.GetProperty("lattices")[0].GetProperty("status").GetProperty("status").GetProperty("type").GetString();
            await Task.Delay(200, Ct);
        }

        Assert.Equal("deployed", type);
        Assert.True(leader.Reconciler.CommandsSent > before, "the leader sent the commands");
        Assert.Equal(0, follower.Reconciler.CommandsSent);

        (await api.PostAsJsonAsync($"{apps}/replica/undeploy", new { lattice = "dev" }, Ct)).EnsureSuccessStatusCode();
        deadline = DateTime.UtcNow.AddSeconds(60);
        while (lattice.Hosts.Any(h => h.Components.IsRunning("replica-hello")) && DateTime.UtcNow < deadline) await Task.Delay(200, Ct);
        Assert.DoesNotContain(lattice.Hosts, h => h.Components.IsRunning("replica-hello"));

        // The leader's lock connection dies (the lock with it): it stops reconciling, and one
        // replica takes the lock again.
        await TerminateLockHolderAsync();
        deadline = DateTime.UtcNow.AddSeconds(10);
        while (leader.Reconciler.IsLeader && DateTime.UtcNow < deadline) await Task.Delay(20, Ct);
        Assert.False(leader.Reconciler.IsLeader, "the old leader noticed it lost the lock");
        deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(first.Reconciler.IsLeader ^ second.Reconciler.IsLeader) && DateTime.UtcNow < deadline) await Task.Delay(100, Ct);
        Assert.True(first.Reconciler.IsLeader ^ second.Reconciler.IsLeader, "exactly one replica leads again");
        Assert.Equal(1, await LockHoldersAsync());
    }

    private async Task TerminateLockHolderAsync()
    {
        await using var connection = new NpgsqlConnection(lattice.Portal.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted " +
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND ((classid::bigint << 32) | objid::bigint) = @key", connection);
        command.Parameters.AddWithValue("key", ReconcilerService.LockKey);
        await command.ExecuteScalarAsync(Ct);
    }

    /// <summary>Sessions of this database holding the reconciler's advisory lock.</summary>
    private async Task<long> LockHoldersAsync()
    {
        await using var connection = new NpgsqlConnection(lattice.Portal.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) " +
            "AND ((classid::bigint << 32) | objid::bigint) = @key", connection);
        command.Parameters.AddWithValue("key", ReconcilerService.LockKey);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }
}
