using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Data.Artifacts;

internal sealed class BlobChunkConfiguration : IEntityTypeConfiguration<BlobChunk>
{
    public void Configure(EntityTypeBuilder<BlobChunk> builder)
    {
        builder.ToTable("blob_chunks");
        builder.HasKey(c => new { c.BlobId, c.Index });
        // Chunks are written before their blob row exists (the digest is known only at the end),
        // so no foreign key; the blob store deletes a blob's chunks with it.
    }
}
