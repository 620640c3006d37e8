using System.Reflection;
using System.Text;

namespace Portal.Host.Identity;

/// <summary>Uptime as the host reports it, and the host's semver version (wadm drops heartbeats whose version is not semver).</summary>
public static class Uptime
{
    public static string Version { get; } = ReadVersion();

    /// <summary>humantime-style text without sub-seconds: "1day 2h 3m 4s", "30s", "0s".</summary>
    public static string Human(ulong seconds)
    {
        if (seconds == 0) return "0s";
        var parts = new StringBuilder();
        void Part(ulong value, string unit)
        {
            if (value == 0) return;
            if (parts.Length > 0) parts.Append(' ');
            parts.Append(value).Append(unit);
        }

        var days = seconds / 86_400;
        Part(days, days == 1 ? "day" : "days");
        Part(seconds % 86_400 / 3600, "h");
        Part(seconds % 3600 / 60, "m");
        Part(seconds % 60, "s");
        return parts.ToString();
    }

    private static string ReadVersion()
    {
        var informational = typeof(Uptime).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.1.0";
        var plus = informational.IndexOf('+');
        return plus > 0 ? informational[..plus] : informational;
    }
}
