namespace Integration.Testing;

/// <summary>
/// The real clock plus an offset that only moves forward: tests "run the clock" (e.g. past MedCom's 30-minute ACK
/// deadline) without waiting, while everything else in the hub keeps seeing time pass normally.
/// </summary>
public sealed class AdjustableClock : TimeProvider
{
    private long _offsetTicks;

    /// <summary>How far ahead of the real clock this one is.</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;

    /// <summary>Moves the clock forward (never back: the hub's deadlines assume time only grows).</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }
}
