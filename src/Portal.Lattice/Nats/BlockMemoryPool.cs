using System.Buffers;
using System.Collections.Concurrent;

namespace Portal.Lattice.Nats;

/// <summary>
/// Fixed-size blocks for the outbound pipe, kept for reuse by this connection. The shared array
/// pool keeps only a few large arrays per core and hands them back on other threads, so a busy
/// publisher would otherwise allocate fresh 64 KiB arrays all the time.
/// </summary>
internal sealed class BlockMemoryPool(int blockSize, int maxPooled) : MemoryPool<byte>
{
    private readonly ConcurrentQueue<Block> _free = new();
    private int _pooled;

    public override int MaxBufferSize => blockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        if (minBufferSize > blockSize) return new Block(this, new byte[minBufferSize], pooled: false);
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _pooled);
            return block;
        }

        return new Block(this, new byte[blockSize], pooled: true);
    }

    private void Return(Block block)
    {
        if (Interlocked.Increment(ref _pooled) > maxPooled)
        {
            Interlocked.Decrement(ref _pooled);
            return; // enough kept: let the GC have it
        }

        _free.Enqueue(block);
    }

    protected override void Dispose(bool disposing) => _free.Clear();

    private sealed class Block(BlockMemoryPool pool, byte[] array, bool pooled) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory => array;

        public void Dispose()
        {
            if (pooled) pool.Return(this);
        }
    }
}
