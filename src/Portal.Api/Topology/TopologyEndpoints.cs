using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Portal.Api.Http;
using Portal.Api.Tenants.Access;

namespace Portal.Api.Topology;

internal static class TopologyEndpoints
{
    public static void MapTopologyEndpoints(this RouteGroupBuilder tenant)
    {
        var lattice = tenant.MapGroup("/lattices/{lattice}");

        lattice.MapGet("/topology", async (string lattice, HttpContext http, TenantContextAccessor context, TopologyService topology) =>
                Results.Ok(await topology.GetAsync(context.Current!, lattice, http.RequestAborted)))
            .RequireTenant(TenantPermission.Read).Produces<TopologyView>().WithName("GetTopology")
            .WithSummary("What runs in the lattice now, as the portal observes it: hosts (labels, version, uptime, stale flag), "
                + "component and provider instances per host (with the application managing them), links and config names. 503 when NATS is unreachable.");

        lattice.MapGet("/hosts/{hostId}", async (string lattice, string hostId, HttpContext http, TenantContextAccessor context, TopologyService topology) =>
                Results.Ok(await topology.GetHostAsync(context.Current!, lattice, hostId, http.RequestAborted)))
            .RequireTenant(TenantPermission.Read).Produces<TopologyHost>().WithName("GetHost")
            .WithSummary("One host and its inventory; 404 when the lattice does not know it (stopped, or reaped after falling silent).");

        lattice.MapPut("/hosts/{hostId}/labels/{key}", async (string lattice, string hostId, string key, PutHostLabelRequest request, HttpContext http, TenantContextAccessor context, TopologyService topology) =>
            {
                await topology.PutLabelAsync(context.Current!, lattice, hostId, key, request, http.RequestAborted);
                return Results.NoContent();
            })
            .RequireTenant(TenantPermission.Deploy).WithName("PutHostLabel")
            .WithSummary("Set a label on a host ({value}) through the control interface; hostcore.* labels belong to the host (422). "
                + "204 once the host accepted it; the topology shows it after the host's labels_changed event.");

        lattice.MapDelete("/hosts/{hostId}/labels/{key}", async (string lattice, string hostId, string key, HttpContext http, TenantContextAccessor context, TopologyService topology) =>
            {
                await topology.DeleteLabelAsync(context.Current!, lattice, hostId, key, http.RequestAborted);
                return Results.NoContent();
            })
            .RequireTenant(TenantPermission.Deploy).WithName("DeleteHostLabel")
            .WithSummary("Remove a label from a host; 404 when the host has no such label, 422 for hostcore.* labels.");

        lattice.MapPost("/hosts/{hostId}/components/{componentId}/scale", async (string lattice, string hostId, string componentId, ScaleComponentRequest request, HttpContext http, TenantContextAccessor context, TopologyService topology) =>
            {
                await topology.ScaleComponentAsync(context.Current!, lattice, hostId, componentId, request, http.RequestAborted);
                return Results.Accepted($"/api/v1/tenants/{context.Current!.Slug}/lattices/{lattice}/hosts/{hostId}");
            })
            .RequireTenant(TenantPermission.Deploy).WithName("ScaleComponentOnHost")
            .WithSummary("Set a running component's instance cap on one host ({count}; 0 stops it there). 202: the host accepted and works on it. "
                + "A component an application manages is put back by the reconciler: change the manifest for lasting effect.");

        lattice.MapDelete("/hosts/{hostId}/providers/{providerId}", async (string lattice, string hostId, string providerId, HttpContext http, TenantContextAccessor context, TopologyService topology) =>
            {
                await topology.StopProviderAsync(context.Current!, lattice, hostId, providerId, http.RequestAborted);
                return Results.Accepted($"/api/v1/tenants/{context.Current!.Slug}/lattices/{lattice}/hosts/{hostId}");
            })
            .RequireTenant(TenantPermission.Deploy).WithName("StopProviderOnHost")
            .WithSummary("Stop a provider on one host. 202: the host accepted and stops it.");

        lattice.MapGet("/events", async (string lattice, string? host, int? seconds, HttpContext http, TenantContextAccessor context, TopologyService topology, IOptions<TopologySettings> settings) =>
            {
                if (seconds is < 1) throw ValidationException.For("seconds", "seconds, when given, is at least 1.");
                await using var feed = await topology.OpenEventsAsync(context.Current!, lattice, host, http.RequestAborted);
                await EventStreamWriter.WriteAsync(http, feed, settings.Value.KeepAlive, seconds is { } s ? TimeSpan.FromSeconds(s) : null);
                return Results.Empty;
            })
            .RequireTenant(TenantPermission.Read).Produces<string>(StatusCodes.Status200OK, EventStreamWriter.ContentType).WithName("StreamLatticeEvents")
            .WithSummary("The lattice's CloudEvents as server-sent events (event: the CloudEvent type, id: its id, data: the event), "
                + "with keep-alive comments, until the client disconnects. ?host= only one host's events; ?seconds= end after that long.");
    }
}
