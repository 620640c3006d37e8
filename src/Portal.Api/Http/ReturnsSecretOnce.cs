namespace Portal.Api.Http;

/// <summary>Endpoint metadata: the response carries a secret shown once, so it is never stored for replay.</summary>
public sealed class ReturnsSecretOnce;
