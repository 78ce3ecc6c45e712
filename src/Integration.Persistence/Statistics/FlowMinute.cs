namespace Integration.Persistence.Statistics;

/// <summary>
/// The message flow of one minute for one message type and municipality: the dashboard's hour, day and week charts read
/// these rows instead of counting the messages table, so a week of history is cheap to draw and survives restarts.
/// </summary>
public sealed class FlowMinute
{
    /// <summary>Start of the minute (UTC, seconds zero).</summary>
    public DateTimeOffset Minute { get; set; }
    public required string MessageType { get; set; }
    /// <summary>The receiving municipality's code, or empty when the message never reached one (invalid, unknown receiver).</summary>
    public required string MunicipalityCode { get; set; }
    public int Received { get; set; }
    public int Duplicates { get; set; }
    public int Processed { get; set; }
    public int Failed { get; set; }
    public int Parked { get; set; }
    public int AcksDelivered { get; set; }
}

/// <summary>How far the message events have been counted into <see cref="FlowMinute"/>s; one row per counter.</summary>
public sealed class FlowWatermark
{
    public required string Counter { get; set; }
    /// <summary>Events at or after this instant are not counted yet.</summary>
    public DateTimeOffset CountedUntil { get; set; }
    public int Version { get; set; }
}
