using Portal.Lattice.Manifests;
using Portal.Lattice.Reconciliation;
using Portal.Tests.Unit.Manifests;

namespace Portal.Tests.Unit.Reconciliation;

/// <summary>convert.rs rules (protocol notes 4.4) checked against the lattice objects 4.1 lists for both examples.</summary>
public sealed class ManifestScalersTests
{
    private static Manifest Load(string name)
    {
        var document = ManifestParser.Parse(ManifestFixtures.Read("good", name), ManifestFixtures.FormatOf(name));
        Assert.False(document.HasErrors);
        return document.Manifest!;
    }

    private static Manifest Parse(string yaml)
    {
        var document = ManifestParser.Parse(yaml, ManifestFormat.Yaml);
        Assert.False(document.HasErrors, string.Join("; ", document.Diagnostics.Select(d => d.Message)));
        return document.Manifest!;
    }

    [Fact]
    public void Hello_world_becomes_a_component_spread_a_default_provider_spread_and_a_link_with_its_owned_config()
    {
        var app = ManifestScalers.From(Load("hello-world.yaml"));
        Assert.Equal(("rust-hello-world", "v0.0.1"), (app.AppName, app.Version));
        Assert.Equal(3, app.Scalers.Count);

        var component = Assert.IsType<ComponentSpreadScaler>(app.Scalers[0]);
        Assert.Equal("rust_hello_world-http_component", component.ComponentId);
        Assert.Equal(1u, component.Instances);
        Assert.Empty(component.Spreads);

        var provider = Assert.IsType<ProviderSpreadScaler>(app.Scalers[1]);
        Assert.Equal("rust_hello_world-httpserver", provider.ProviderId);
        Assert.Equal((1u, 0), (provider.Instances, provider.Spreads.Count));

        var link = Assert.IsType<LinkScaler>(app.Scalers[2]);
        Assert.Equal(("rust_hello_world-httpserver", "rust_hello_world-http_component"), (link.SourceId, link.TargetId));
        Assert.Equal(("wasi", "http", "default"), (link.Namespace, link.Package, link.LinkName));
        Assert.Equal(["incoming-handler"], link.Interfaces);
        Assert.Equal(["rust_hello_world-default_http"], link.SourceConfigNames);
        var config = Assert.IsType<ConfigScaler>(Assert.Single(link.Configs));
        Assert.Equal("rust_hello_world-default_http", config.ConfigName);
        Assert.Equal("0.0.0.0:8000", config.Properties!["address"]);
        // The config goes before the link in the status order.
        Assert.Equal([ConfigScaler.KindName, LinkScaler.KindName], app.All.Skip(2).Select(s => s.Kind));
    }

    [Fact]
    public void Kv_counter_spreads_across_zones_and_daemonscales_redis()
    {
        var app = ManifestScalers.From(Load("kv-counter.yaml"));
        var counter = Assert.IsType<ComponentSpreadScaler>(app.Scalers.Single(s => s is ComponentSpreadScaler));
        Assert.Equal("rust_http_kv-counter", counter.ComponentId);
        Assert.Equal(10u, counter.Instances);
        Assert.Equal([8u, 2u], SpreadMath.Compute(counter.Instances, counter.Spreads).Select(t => t.Count));
        Assert.Equal("us-east-1", counter.Spreads[0].Requirements["zone"]);

        var redis = Assert.IsType<ProviderDaemonScaler>(app.Scalers.Single(s => s is ProviderDaemonScaler));
        Assert.Equal("rust_http_kv-kvredis", redis.ProviderId);
        Assert.Equal("true", Assert.Single(redis.Spreads).Requirements["kv"]);

        var links = app.Scalers.OfType<LinkScaler>().ToList();
        var kv = links.Single(l => l.Package == "keyvalue");
        Assert.Equal(("rust_http_kv-counter", "rust_http_kv-kvredis"), (kv.SourceId, kv.TargetId));
        Assert.Equal(["atomics", "store"], kv.Interfaces);
        Assert.Equal(["rust_http_kv-redis_url"], kv.TargetConfigNames);
        var http = links.Single(l => l.Package == "http");
        Assert.Equal(("rust_http_kv-httpserver", "rust_http_kv-counter"), (http.SourceId, http.TargetId));

        // httpserver has no scaler trait: wadm's default provider spread of one.
        var server = app.Scalers.OfType<ProviderSpreadScaler>().Single();
        Assert.Equal(("rust_http_kv-httpserver", 1u), (server.ProviderId, server.Instances));
    }

    [Fact]
    public void Component_without_scaler_gets_none_but_its_links_and_provider_to_provider_links_are_ignored()
    {
        var app = ManifestScalers.From(Parse("""
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: idle, annotations: {version: v1}}
            spec:
              components:
                - name: worker
                  type: component
                  properties:
                    image: file:///worker.wasm
                    id: custom-worker
                    config: [{name: ext}]
                  traits:
                    - type: link
                      properties: {target: {name: kv}, namespace: wasi, package: keyvalue, interfaces: [store]}
                - name: kv
                  type: capability
                  properties: {image: file:///kv.par}
                  traits:
                    - type: link
                      properties: {target: {name: other}, namespace: wasi, package: keyvalue, interfaces: [store]}
                - name: other
                  type: capability
                  properties: {image: file:///other.par}
            """));
        Assert.DoesNotContain(app.Scalers, s => s is ComponentSpreadScaler or ComponentDaemonScaler);
        var link = Assert.Single(app.Scalers.OfType<LinkScaler>());
        Assert.Equal(("custom-worker", "idle-kv"), (link.SourceId, link.TargetId));
        Assert.Equal(2, app.Scalers.OfType<ProviderSpreadScaler>().Count());
    }

    [Fact]
    public void External_config_and_secrets_hang_off_their_owner()
    {
        var app = ManifestScalers.From(Parse("""
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: shop, annotations: {version: v1}}
            spec:
              policies:
                - name: vault
                  type: policy.secret.wasmcloud.dev/v1alpha1
                  properties: {backend: nats-kv}
              components:
                - name: web
                  type: component
                  properties:
                    image: file:///web.wasm
                    config: [{name: shared-settings}, {name: own, properties: {a: "1"}}]
                    secrets: [{name: token, properties: {policy: vault, key: api-token}}]
                  traits:
                    - type: daemonscaler
                      properties: {instances: 2}
            """), "v9");
        var web = Assert.IsType<ComponentDaemonScaler>(Assert.Single(app.Scalers));
        Assert.Equal("v9", app.Version);
        Assert.Equal(["shared-settings", "shop-own", "SECRET_shop-token"], web.ConfigNames);
        Assert.Null(Assert.IsType<ConfigScaler>(web.Configs[0]).Properties);
        Assert.Equal("1", Assert.IsType<ConfigScaler>(web.Configs[1]).Properties!["a"]);
        var secret = Assert.IsType<SecretScaler>(web.Configs[2]);
        Assert.Equal(("api-token", "nats-kv"), (secret.Key, secret.Reference["backend"]));
    }

    [Fact]
    public void Yaml_and_json_forms_give_the_same_counter_ids()
    {
        // The JSON fixture is the shorter form (no httpserver): compare what both declare.
        static string CounterId(string name) => ManifestScalers.From(Load(name)).Scalers.OfType<ComponentSpreadScaler>().Single().Id;
        Assert.Equal(CounterId("kv-counter.yaml"), CounterId("kv-counter.json"));
        Assert.Equal(ManifestScalers.From(Load("kv-counter.yaml")).All.Select(s => s.Id), ManifestScalers.From(Load("kv-counter.yaml")).All.Select(s => s.Id));
    }
}
