namespace Portal.Web.Components.Topology;

/// <summary>What the connection indicator shows.</summary>
public enum TopologyConnection
{
    Connecting,
    Connected,
    Reconnecting,
    Unreachable,
}
