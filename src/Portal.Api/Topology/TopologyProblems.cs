using Portal.Api.Http;

namespace Portal.Api.Topology;

/// <summary>503: the portal cannot reach the lattice over NATS right now (or the host did not answer in time); nothing was changed.</summary>
public sealed class LatticeUnavailableException(string detail) : PortalProblemException(503, "Lattice unavailable", detail, "/problems/lattice-unavailable");

/// <summary>409: the host answered the control-interface command with success false; its message is the detail.</summary>
public sealed class HostRefusedException(string detail) : PortalProblemException(409, "The host refused", detail, "/problems/host-refused");
