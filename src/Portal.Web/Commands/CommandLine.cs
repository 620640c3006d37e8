namespace Portal.Web.Commands;

/// <summary>One-off administrative commands of the portal executable.</summary>
internal interface IPortalCommand
{
    Task<int> RunAsync(IServiceProvider services, string[] args);
}

internal static class CommandLine
{
    public static bool TryGetCommand(string[] args, out IPortalCommand command)
    {
        command = args.FirstOrDefault() switch
        {
            "migrate" => new MigrateCommand(),
            "seed" => new SeedCommand(),
            "token" => new TokenCommand(),
            "nats-config" => new NatsConfigCommand(),
            "credentials" => new CredentialsCommand(),
            _ => null!,
        };
        return command is not null;
    }

    /// <summary>The value after <paramref name="name"/>, e.g. <c>--admin-email x</c>.</summary>
    public static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
