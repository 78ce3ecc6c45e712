namespace Integration.Testing;

/// <summary>A clock that shows what the test sets, for unit tests of time rules (deadlines, resends).</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    /// <summary>The time the clock shows.</summary>
    public DateTimeOffset Now { get; set; } = start;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => Now;

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
