using Portal.Web.Components.Shell;

namespace Portal.Tests.Unit.Shell;

public sealed class ThemeChoiceTests
{
    [Theory]
    [InlineData(null, "system")]
    [InlineData("dark", "dark")]
    [InlineData("light", "light")]
    [InlineData("<script>", "system")]
    public void Cookie_values_outside_the_three_modes_fall_back_to_system(string? cookie, string expected) =>
        Assert.Equal(expected, ThemeChoice.FromCookie(cookie).Mode);

    [Theory]
    [InlineData("system", true, ThemeChoice.DarkTheme)]
    [InlineData("system", false, ThemeChoice.LightTheme)]
    [InlineData("light", true, ThemeChoice.LightTheme)]
    [InlineData("dark", false, ThemeChoice.DarkTheme)]
    public void System_mode_follows_the_browser_and_explicit_modes_do_not(string mode, bool prefersDark, string expected) =>
        Assert.Equal(expected, new ThemeChoice(mode).RadzenTheme(prefersDark));
}
