namespace Portal.Host.Engine.Protocol;

/// <summary>
/// One frame as read: type, request id and its payload. The payload array is owned by the frame,
/// so response bodies can be handed out as slices of it without another copy.
/// </summary>
public readonly record struct Frame(FrameType Type, uint RequestId, byte[] Payload)
{
    /// <summary>Header: u32 payload length, u8 type, u8 flags, u16 reserved, u32 request id (little-endian).</summary>
    public const int HeaderSize = 12;

    public FieldReader Fields() => new(Payload);
}
