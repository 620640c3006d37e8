namespace Portal.Data.Applications;

/// <summary>The kinds of <see cref="ApplicationEvent"/>; kebab-case as the timeline shows them.</summary>
public static class ApplicationEventKinds
{
    public const string Created = "created";
    public const string VersionCreated = "version-created";
    public const string VersionDeleted = "version-deleted";
    public const string Deployed = "deployed";
    public const string Undeployed = "undeployed";
    public const string RolledBack = "rolled-back";
    public const string StatusChanged = "status-changed";
    public const string CommandSent = "command-sent";
    public const string EventReceived = "event-received";
    public const string HostLost = "host-lost";
    public const string Repaired = "repaired";
}
