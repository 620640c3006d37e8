using System.Runtime.InteropServices;

namespace Portal.Host.Identity;

/// <summary>The hostcore.* labels every 1.x host carries, spelled as wasmCloud spells them (Rust's std::env::consts).</summary>
public static class HostLabels
{
    public const string Prefix = "hostcore.";

    public static Dictionary<string, string> Hostcore() => new(StringComparer.Ordinal)
    {
        ["hostcore.os"] = OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "macos" : OperatingSystem.IsLinux() ? "linux" : RuntimeInformation.OSDescription.ToLowerInvariant(),
        ["hostcore.arch"] = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "x86_64",
            Architecture.Arm64 => "aarch64",
            Architecture.X86 => "x86",
            Architecture.Arm => "arm",
            var other => other.ToString().ToLowerInvariant(),
        },
        ["hostcore.osfamily"] = OperatingSystem.IsWindows() ? "windows" : "unix",
    };

    public static bool IsHostcore(string key) => key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);
}
