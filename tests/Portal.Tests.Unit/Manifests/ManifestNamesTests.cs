using Portal.Lattice.Manifests;

namespace Portal.Tests.Unit.Manifests;

public sealed class ManifestNamesTests
{
    [Theory]
    [InlineData("rust-hello-world", "http-component", "rust_hello_world-http_component")]
    [InlineData("rust-hello-world", "httpserver", "rust_hello_world-httpserver")]
    [InlineData("rust-http-kv", "kvredis", "rust_http_kv-kvredis")]
    [InlineData("My.App", "Über Comp", "my_app-_ber_comp")]
    [InlineData("emoji😀", "x", "emoji_-x")]
    public void Generated_ids_lower_case_and_replace_what_is_not_ascii_alphanumeric(string app, string component, string expected)
    {
        Assert.Equal(expected, ManifestNames.ComponentId(app, component));
    }

    [Theory]
    [InlineData("rust-hello-world", "default-http", "rust_hello_world-default_http")]
    [InlineData("rust-http-kv", "redis-url", "rust_http_kv-redis_url")]
    public void Owned_config_names_follow_the_same_rule(string app, string config, string expected)
    {
        Assert.Equal(expected, ManifestNames.OwnedConfigName(app, config));
    }

    [Fact]
    public void Secret_names_are_prefixed_owned_names()
    {
        Assert.Equal("SECRET_payments-signing_key", ManifestNames.SecretName("payments", "signing-key"));
    }

    [Fact]
    public void External_configs_keep_their_literal_name()
    {
        Assert.Equal("shared-settings", ManifestNames.ConfigName("payments", new ConfigProperty("shared-settings", null)));
        Assert.Equal("payments-api_settings", ManifestNames.ConfigName("payments", new ConfigProperty("api-settings", [])));
    }

    [Fact]
    public void Component_ids_honour_explicit_ids_and_shared_applications()
    {
        var consumer = Parse("shared-consumer.yaml");
        var daemon = Parse("daemon-everywhere.yaml");

        Assert.Equal("hello_on_shared-hello", ManifestNames.ComponentId(consumer.Name, consumer.Components[0]));
        Assert.Equal("shared_http-httpserver", ManifestNames.ComponentId(consumer.Name, consumer.Components[1]));
        Assert.Equal("edge-logger-main", ManifestNames.ComponentId(daemon.Name, daemon.Components[0]));
        Assert.Equal("edge_logger-sink", ManifestNames.ComponentId(daemon.Name, daemon.Components[1]));
    }

    private static Manifest Parse(string fixture) => ManifestParser.Parse(ManifestFixtures.Read("good", fixture)).Manifest!;
}
