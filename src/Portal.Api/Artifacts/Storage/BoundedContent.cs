using System.Buffers;
using System.Security.Cryptography;
using Portal.Api.Quotas;

namespace Portal.Api.Artifacts.Storage;

/// <summary>
/// An upload read into pooled memory up to a limit, hashed as it arrives. The limit is checked on
/// every read, so a body past it is refused after limit + one read's bytes, never buffered whole.
/// </summary>
public sealed class BoundedContent : IDisposable
{
    private byte[] _buffer;

    private BoundedContent(byte[] buffer, int length, string digest)
    {
        _buffer = buffer;
        Length = length;
        Digest = digest;
    }

    public int Length { get; }

    public string Digest { get; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    public Stream OpenRead() => new MemoryStream(_buffer, 0, Length, writable: false);

    public static async Task<BoundedContent> ReadAsync(Stream body, StorageAllowance allowance, CancellationToken cancellationToken)
    {
        var limit = allowance.ReadLimit;
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var length = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            while (true)
            {
                if (length == buffer.Length) buffer = Grow(buffer, length);
                var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0) break;
                hash.AppendData(buffer, length, read);
                length += read;
                if (length > limit) throw allowance.Refusal(length);
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        return new BoundedContent(buffer, length, Digests.From(hash));
    }

    private static byte[] Grow(byte[] buffer, int length)
    {
        var larger = ArrayPool<byte>.Shared.Rent(checked(buffer.Length * 2));
        buffer.AsSpan(0, length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
