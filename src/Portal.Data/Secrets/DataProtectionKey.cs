namespace Portal.Data.Secrets;

/// <summary>One key of the Data Protection key ring, stored here so every portal replica shares it.</summary>
public sealed class DataProtectionKey
{
    public int Id { get; set; }

    public string? FriendlyName { get; set; }

    public required string Xml { get; set; }
}
