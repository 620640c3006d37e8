using System.Globalization;

namespace Portal.Host.Configuration;

/// <summary>
/// Flags and environment variables, named as the wasmCloud 1.x host names them where it has an
/// equivalent (flags win over the environment). A small hand parser: the set is small and fixed,
/// and it keeps the host free of packages. NATS user/password/token are our additions
/// (wasmCloud authenticates with JWT + seed), spelled in the same style.
/// </summary>
public static class HostCommandLine
{
    public const string Usage = """
        portal-host: a wasmCloud 1.x compatible lattice host

          --nats-host HOST                    WASMCLOUD_NATS_HOST (127.0.0.1)
          --nats-port PORT                    WASMCLOUD_NATS_PORT (4222)
          --nats-user USER                    WASMCLOUD_NATS_USER
          --nats-password PASSWORD            WASMCLOUD_NATS_PASSWORD
          --nats-token TOKEN                  WASMCLOUD_NATS_TOKEN
          -x, --lattice LATTICE               WASMCLOUD_LATTICE (default)
          --ctl-topic-prefix PREFIX           WASMCLOUD_CTL_TOPIC_PREFIX (wasmbus.ctl)
          --host-seed SEED                    WASMCLOUD_HOST_SEED (random id otherwise)
          -l, --label KEY=VALUE (repeatable)  WASMCLOUD_LABEL_{KEY}=VALUE
          --allow-file-load                   WASMCLOUD_ALLOW_FILE_LOAD=true
          --heartbeat-interval-seconds N      WASMCLOUD_HEARTBEAT_INTERVAL (30)
          --metrics-interval-seconds N        PORTAL_HOST_METRICS_INTERVAL (15; invocation counts, ours)
          --max-linear-memory-bytes N         WASMCLOUD_MAX_LINEAR_MEMORY (67108864)
          --max-execution-time-ms N           WASMCLOUD_MAX_EXECUTION_TIME_MS (10000)
          --oci-registry HOST[:PORT]          WASMCLOUD_OCI_REGISTRY (the registry --oci-user/--oci-password are for; all when unset)
          --oci-user USER, --oci-password PW  WASMCLOUD_OCI_REGISTRY_USER / _PASSWORD
          --allowed-insecure HOST[:PORT],...  WASMCLOUD_OCI_ALLOWED_INSECURE (registries reached over plain HTTP;
                                              alias --allow-insecure-registries; loopback always is)
          --allow-latest                      WASMCLOUD_OCI_ALLOW_LATEST=true (pull refs tagged latest or untagged)
          --artifact-token TOKEN              PORTAL_HOST_ARTIFACT_TOKEN (bearer for plain http(s) artifact URLs)
          --disable-component-auction        WASMCLOUD_COMPONENT_AUCTION_ENABLED=false
          --disable-provider-auction         WASMCLOUD_PROVIDER_AUCTION_ENABLED=false
        """;

    /// <summary>Parses flags over environment variables; throws <see cref="ArgumentException"/> with a readable message.</summary>
    public static HostOptions Parse(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment)
    {
        string? Env(string name) => environment.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in environment)
        {
            if (key.StartsWith("WASMCLOUD_LABEL_", StringComparison.Ordinal) && key.Length > "WASMCLOUD_LABEL_".Length)
                labels[key["WASMCLOUD_LABEL_".Length..]] = value;
        }

        var o = new HostOptions
        {
            NatsHost = Env("WASMCLOUD_NATS_HOST") ?? "127.0.0.1",
            NatsPort = Int(Env("WASMCLOUD_NATS_PORT"), "WASMCLOUD_NATS_PORT") ?? 4222,
            NatsUser = Env("WASMCLOUD_NATS_USER"),
            NatsPassword = Env("WASMCLOUD_NATS_PASSWORD"),
            NatsToken = Env("WASMCLOUD_NATS_TOKEN"),
            Lattice = Env("WASMCLOUD_LATTICE") ?? "default",
            CtlTopicPrefix = Env("WASMCLOUD_CTL_TOPIC_PREFIX"),
            HostSeed = Env("WASMCLOUD_HOST_SEED"),
            AllowFileLoad = Bool(Env("WASMCLOUD_ALLOW_FILE_LOAD")) ?? false,
            HeartbeatInterval = TimeSpan.FromSeconds(Int(Env("WASMCLOUD_HEARTBEAT_INTERVAL"), "WASMCLOUD_HEARTBEAT_INTERVAL") ?? 30),
            MetricsInterval = TimeSpan.FromSeconds(Int(Env("PORTAL_HOST_METRICS_INTERVAL"), "PORTAL_HOST_METRICS_INTERVAL") ?? 15),
            MaxLinearMemoryBytes = Long(Env("WASMCLOUD_MAX_LINEAR_MEMORY"), "WASMCLOUD_MAX_LINEAR_MEMORY") ?? 64L * 1024 * 1024,
            MaxExecutionTime = TimeSpan.FromMilliseconds(Long(Env("WASMCLOUD_MAX_EXECUTION_TIME_MS"), "WASMCLOUD_MAX_EXECUTION_TIME_MS") ?? 10_000),
            OciRegistry = Env("WASMCLOUD_OCI_REGISTRY"),
            OciUser = Env("WASMCLOUD_OCI_REGISTRY_USER"),
            OciPassword = Env("WASMCLOUD_OCI_REGISTRY_PASSWORD"),
            AllowedInsecure = List(Env("WASMCLOUD_OCI_ALLOWED_INSECURE")),
            AllowLatest = Bool(Env("WASMCLOUD_OCI_ALLOW_LATEST")) ?? false,
            ArtifactToken = Env("PORTAL_HOST_ARTIFACT_TOKEN"),
            ComponentAuction = Bool(Env("WASMCLOUD_COMPONENT_AUCTION_ENABLED")) ?? true,
            ProviderAuction = Bool(Env("WASMCLOUD_PROVIDER_AUCTION_ENABLED")) ?? true,
        };

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inline = null;
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=') is var eq and > 0)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }

            string Value()
            {
                if (inline is not null) return inline;
                if (i + 1 >= args.Count) throw new ArgumentException($"{arg} needs a value");
                return args[++i];
            }

            o = arg switch
            {
                "--nats-host" => o with { NatsHost = Value() },
                "--nats-port" => o with { NatsPort = Int(Value(), arg)!.Value },
                "--nats-user" => o with { NatsUser = Value() },
                "--nats-password" => o with { NatsPassword = Value() },
                "--nats-token" => o with { NatsToken = Value() },
                "-x" or "--lattice" => o with { Lattice = Value() },
                "--ctl-topic-prefix" => o with { CtlTopicPrefix = Value() },
                "--host-seed" => o with { HostSeed = Value() },
                "-l" or "--label" => AddLabel(o, labels, Value()),
                "--allow-file-load" => o with { AllowFileLoad = inline is null || (Bool(inline) ?? true) },
                "--heartbeat-interval-seconds" => o with { HeartbeatInterval = TimeSpan.FromSeconds(Int(Value(), arg)!.Value) },
                "--metrics-interval-seconds" => o with { MetricsInterval = TimeSpan.FromSeconds(Int(Value(), arg)!.Value) },
                "--max-linear-memory-bytes" => o with { MaxLinearMemoryBytes = Long(Value(), arg)!.Value },
                "--max-execution-time-ms" => o with { MaxExecutionTime = TimeSpan.FromMilliseconds(Long(Value(), arg)!.Value) },
                "--oci-registry" => o with { OciRegistry = Value() },
                "--oci-user" => o with { OciUser = Value() },
                "--allowed-insecure" or "--allow-insecure-registries" => o with { AllowedInsecure = [.. o.AllowedInsecure, .. List(Value())] },
                "--allow-latest" => o with { AllowLatest = inline is null || (Bool(inline) ?? true) },
                "--oci-password" => o with { OciPassword = Value() },
                "--artifact-token" => o with { ArtifactToken = Value() },
                "--disable-component-auction" => o with { ComponentAuction = false },
                "--disable-provider-auction" => o with { ProviderAuction = false },
                _ => throw new ArgumentException($"unknown option '{args[i]}'"),
            };
        }

        foreach (var key in labels.Keys)
        {
            if (key.StartsWith("hostcore.", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"label '{key}': hostcore.* labels are set by the host");
        }

        if (o.HeartbeatInterval <= TimeSpan.Zero) throw new ArgumentException("the heartbeat interval must be positive");
        if (o.MetricsInterval <= TimeSpan.Zero) throw new ArgumentException("the metrics interval must be positive");
        return o with { Labels = labels };
    }

    private static HostOptions AddLabel(HostOptions o, Dictionary<string, string> labels, string pair)
    {
        var eq = pair.IndexOf('=');
        if (eq <= 0) throw new ArgumentException($"label '{pair}' must be KEY=VALUE");
        labels[pair[..eq]] = pair[(eq + 1)..];
        return o;
    }

    private static IReadOnlyList<string> List(string? text) =>
        text is null ? [] : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int? Int(string? text, string name) =>
        text is null ? null : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw new ArgumentException($"{name}: '{text}' is not a number");

    private static long? Long(string? text, string name) =>
        text is null ? null : long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw new ArgumentException($"{name}: '{text}' is not a number");

    private static bool? Bool(string? text) => text?.ToLowerInvariant() switch
    {
        null => null,
        "1" or "true" or "yes" or "on" => true,
        _ => false,
    };
}
