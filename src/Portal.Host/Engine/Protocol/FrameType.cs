namespace Portal.Host.Engine.Protocol;

/// <summary>Frame types of the host ⇄ sidecar protocol (mirrors sidecar/lib/frames.mjs).</summary>
public enum FrameType : byte
{
    Load = 0x01,
    Unload = 0x02,
    Invoke = 0x03,
    Ping = 0x04,
    Probe = 0x05,

    /// <summary>The host's answer to a <see cref="HostCall"/> (same request id).</summary>
    HostReturn = 0x06,
    Ready = 0x80,
    Loaded = 0x81,
    Unloaded = 0x82,
    Response = 0x83,
    Pong = 0x84,
    Probed = 0x85,

    /// <summary>A guest's import call that the host implements (wasi:keyvalue); ids are the sidecar's own.</summary>
    HostCall = 0xA0,
    Failed = 0xE0,
    Event = 0xF0,

    /// <summary>wasi:logging from a guest: component id, level, context, message.</summary>
    GuestLog = 0xF1,
}
