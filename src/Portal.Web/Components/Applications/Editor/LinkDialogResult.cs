using Portal.Lattice.Manifests;

namespace Portal.Web.Components.Applications.Editor;

/// <summary>What the link dialog decided: the link to store, or that the link goes.</summary>
public sealed record LinkDialogResult(LinkProperties? Link, bool Delete);
