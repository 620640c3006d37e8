using System.Buffers;
using System.Buffers.Binary;
using Portal.Lattice.Inspection.Claims;

namespace Portal.Lattice.Inspection;

/// <summary>
/// Reads a WebAssembly binary without running it: core module or component, imports, exports,
/// memories, custom sections, the WIT world of a component, embedded wasmCloud claims. It checks the
/// structure it reads (every length against what remains, every opcode it decodes) but it is not a
/// validator: function bodies and the meaning of indices are left to the engine that loads it.
/// Every failure is a <see cref="WasmInspectionException"/>; allocation stays proportional to the
/// input because no count read from the input sizes a buffer on its own.
/// </summary>
public static class WasmInspector
{
    /// <summary>Components nest; past this depth the input is refused rather than recursed into.</summary>
    internal const int MaxNesting = 32;

    public static WasmInspection Inspect(ReadOnlySpan<byte> wasm)
    {
        var kind = ReadPreamble(wasm);
        var result = new InspectionBuilder(kind, wasm.Length);
        if (kind == WasmBinaryKind.CoreModule) CoreModuleReader.Read(wasm, result);
        else ComponentReader.Read(wasm, result);
        if (result.ClaimsSection is { } claims) result.Claims = WascapClaimsReader.Read(wasm, claims);
        return result.Build();
    }

    /// <summary>
    /// Reads the whole stream (refusing more than <paramref name="maxBytes"/> as soon as it is
    /// passed) and inspects it. The stream's own failures and cancellation surface as they are.
    /// </summary>
    public static WasmInspection Inspect(Stream stream, long maxBytes)
    {
        var (buffer, length) = ReadAll(stream, maxBytes, (s, b, o, c) => ValueTask.FromResult(s.Read(b, o, c)), default).GetAwaiter().GetResult();
        try
        {
            return Inspect(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc cref="Inspect(Stream, long)"/>
    public static async Task<WasmInspection> InspectAsync(Stream stream, long maxBytes, CancellationToken cancellationToken = default)
    {
        var (buffer, length) = await ReadAll(stream, maxBytes, (s, b, o, c) => s.ReadAsync(b.AsMemory(o, c), cancellationToken), cancellationToken);
        try
        {
            return Inspect(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async ValueTask<(byte[] Buffer, int Length)> ReadAll(Stream stream, long maxBytes,
        Func<Stream, byte[], int, int, ValueTask<int>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        var limit = (int)Math.Min(maxBytes, Array.MaxLength - 1);
        if (stream.CanSeek && stream.Length - stream.Position > limit) throw TooLarge(limit);

        // Grow by doubling from a modest start: a declared length is a hint, never trusted alone.
        var buffer = ArrayPool<byte>.Shared.Rent(stream.CanSeek ? (int)Math.Clamp(stream.Length - stream.Position + 1, 1, limit + 1L) : 64 * 1024);
        var length = 0;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (length == buffer.Length)
                {
                    if (length > limit) throw TooLarge(limit);
                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1L));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var n = await read(stream, buffer, length, buffer.Length - length);
                if (n == 0) break;
                length += n;
                if (length > limit) throw TooLarge(limit);
            }

            return (buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static WasmInspectionException TooLarge(long limit) => new($"the binary is larger than the limit of {limit} bytes");

    private static WasmBinaryKind ReadPreamble(ReadOnlySpan<byte> wasm)
    {
        if (wasm.IsEmpty) throw new WasmInspectionException("the file is empty (0 bytes)", 0);
        ReadOnlySpan<byte> magic = [0x00, 0x61, 0x73, 0x6D];
        var prefix = Math.Min(4, wasm.Length);
        if (!wasm[..prefix].SequenceEqual(magic[..prefix]))
            throw new WasmInspectionException($"not a WebAssembly binary: {FileSignatures.Describe(wasm)}", 0);
        if (wasm.Length < 8)
            throw new WasmInspectionException($"truncated preamble: {wasm.Length} bytes, a WebAssembly binary starts with 8 (magic, version, layer)", wasm.Length);

        var version = BinaryPrimitives.ReadUInt16LittleEndian(wasm[4..]);
        var layer = BinaryPrimitives.ReadUInt16LittleEndian(wasm[6..]);
        return (version, layer) switch
        {
            (1, 0) => WasmBinaryKind.CoreModule,
            (0x0d, 1) => WasmBinaryKind.Component,
            (_, 0) => throw new WasmInspectionException($"unknown core WebAssembly version {version} (only version 1 exists)", 4),
            (_, 1) => throw new WasmInspectionException(
                $"component binary version 0x{version:x2} is not supported (this portal reads 0x0d, the encoding of WASI 0.2 components); rebuild with a current toolchain", 4),
            _ => throw new WasmInspectionException($"unknown layer {layer} (0 is a core module, 1 a component)", 6),
        };
    }
}
