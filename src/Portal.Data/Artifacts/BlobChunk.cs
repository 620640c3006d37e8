namespace Portal.Data.Artifacts;

/// <summary>
/// One piece of a blob's bytes, in order. Chunks are written while an upload streams in, under
/// the upload's transaction, so a failed upload leaves none behind.
/// </summary>
public sealed class BlobChunk
{
    public Guid BlobId { get; set; }

    public int Index { get; set; }

    public required byte[] Data { get; set; }
}
