namespace Portal.Lattice.Inspection;

/// <summary>
/// The one exception <see cref="WasmInspector"/> throws: the bytes are not a WebAssembly module or
/// component it can read. The message says what was found and, when a place is known, names its
/// offset (also in <see cref="Offset"/>).
/// </summary>
public sealed class WasmInspectionException : Exception
{
    public WasmInspectionException(string message, long? offset = null)
        : base(message)
    {
        Offset = offset;
    }

    /// <summary>Byte offset in the input where the problem was found, when there is one.</summary>
    public long? Offset { get; }
}
