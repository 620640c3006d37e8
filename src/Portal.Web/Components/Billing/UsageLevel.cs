namespace Portal.Web.Components.Billing;

/// <summary>How full a limit is, as the usage bars colour it: amber from 80 %, red from 100 %.</summary>
public enum UsageLevel
{
    Ok,
    Warning,
    Over,
}

public static class UsageLevels
{
    public static UsageLevel For(double percent) => percent >= 100 ? UsageLevel.Over : percent >= 80 ? UsageLevel.Warning : UsageLevel.Ok;

    public static string Colour(UsageLevel level) => level switch
    {
        UsageLevel.Over => "var(--rz-danger)",
        UsageLevel.Warning => "#f59e0b",
        _ => "var(--rz-success)",
    };
}
