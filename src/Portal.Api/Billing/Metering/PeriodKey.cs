namespace Portal.Api.Billing.Metering;

/// <summary>Period keys: the UTC start of the metering interval a moment falls in, the same on every replica.</summary>
public static class PeriodKey
{
    public static DateTimeOffset Floor(DateTimeOffset at, TimeSpan interval)
    {
        var ticks = at.UtcTicks;
        return new DateTimeOffset(ticks - ticks % interval.Ticks, TimeSpan.Zero);
    }

    public static DateTimeOffset Next(DateTimeOffset at, TimeSpan interval) => Floor(at, interval) + interval;
}
