namespace Portal.Web.Components.Shell;

/// <summary>
/// The console theme a person picked: light, dark, or whatever their system prefers.
/// Remembered in a cookie so the first paint already has it (no flash of the wrong theme).
/// </summary>
public sealed record ThemeChoice(string Mode)
{
    public const string CookieName = "portal.theme";
    public const string LightTheme = "material";
    public const string DarkTheme = "material-dark";

    public static readonly string[] Modes = ["system", "light", "dark"];

    public static ThemeChoice FromCookie(string? value) => new(Modes.Contains(value) ? value! : "system");

    /// <summary>The Radzen theme for the first render. "system" starts light; the browser corrects it on connect.</summary>
    public string Initial => Mode == "dark" ? DarkTheme : LightTheme;

    public string RadzenTheme(bool systemPrefersDark) => Mode switch
    {
        "dark" => DarkTheme,
        "light" => LightTheme,
        _ => systemPrefersDark ? DarkTheme : LightTheme,
    };
}
