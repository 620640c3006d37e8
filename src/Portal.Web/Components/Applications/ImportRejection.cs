namespace Portal.Web.Components.Applications;

/// <summary>Why an imported manifest was not stored, one readable line per finding.</summary>
public sealed record ImportRejection(string Title, IReadOnlyList<string> Lines);
