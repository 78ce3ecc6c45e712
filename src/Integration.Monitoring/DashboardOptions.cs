namespace Integration.Monitoring;

/// <summary>Bound from the "Dashboard" configuration section.</summary>
public sealed class DashboardOptions
{
    /// <summary>How often the flow counter adds new message events to the per-minute statistics.</summary>
    public TimeSpan CountInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How old an event must be before it is counted. An event's time is taken before its transaction commits, so an
    /// event stamped 12:00:01 can become visible after one stamped 12:00:03 (a slow commit, another hub process); a
    /// counter that moved its watermark up to "now" would step over the late one and never count it. Waiting until
    /// events are this old lets such transactions commit first. It also lets a just-received message be routed, so
    /// its "received" is counted under the municipality it goes to rather than under none.
    /// </summary>
    public TimeSpan SettleDelay { get; set; } = TimeSpan.FromSeconds(30);
}
