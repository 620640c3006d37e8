using Portal.Lattice.Control;

namespace Portal.Host.State;

/// <summary>
/// The value of <c>COMPONENT_{id}</c> in <c>LATTICEDATA_{lattice}</c> (protocol 3.2): the image of a
/// started component or provider ("" for a link source known only through its links) and every
/// link whose source it is.
/// </summary>
public sealed record ComponentSpec
{
    public string Url { get; init; } = "";

    public List<Link> Links { get; init; } = [];
}
