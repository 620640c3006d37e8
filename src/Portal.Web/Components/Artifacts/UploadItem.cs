using Microsoft.AspNetCore.Components.Forms;

namespace Portal.Web.Components.Artifacts;

/// <summary>One file in the upload dialog: what it will be called, and how far it got.</summary>
internal sealed class UploadItem(IBrowserFile file, string name)
{
    public IBrowserFile File { get; } = file;

    public string Name { get; set; } = name;

    public long Sent { get; set; }

    public int Percent => File.Size == 0 ? 100 : (int)(Sent * 100 / File.Size);

    public UploadState State { get; set; } = UploadState.Waiting;

    public string? Message { get; set; }
}

internal enum UploadState
{
    Waiting,
    Uploading,
    Done,
    Failed,
    Cancelled,
}
