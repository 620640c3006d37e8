namespace Portal.Api.Lattices;

public sealed record LatticeResponse(string Name, string LatticeId, DateTimeOffset CreatedAt);

public sealed record CreateLatticeRequest(string? Name);
