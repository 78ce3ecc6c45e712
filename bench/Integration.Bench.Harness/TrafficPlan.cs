namespace Integration.Bench.Harness;

/// <summary>
/// Which message is the k-th of a scenario. Stays run in blocks of <see cref="StaysPerBlock"/> citizens: first all their
/// admissions, then all their leaves, returns and discharges, so one citizen's messages are far apart in the stream (as
/// days apart in real life) and many citizens are in hospital at once. Each stay belongs to one hospital and one
/// municipality, chosen round-robin from the given lists.
/// </summary>
internal sealed class TrafficPlan(
    NotificationFlows flows, IReadOnlyList<BenchOrganisation> hospitals, IReadOnlyList<BenchOrganisation> municipalUnits, long firstStay)
{
    public const int StaysPerBlock = 256;

    /// <summary>How many stays this plan's messages use: the next plan starts after them, so citizens never repeat.</summary>
    public static long StaysFor(long messages) =>
        (messages + (StaysPerBlock * NotificationFlows.Steps) - 1) / (StaysPerBlock * NotificationFlows.Steps) * StaysPerBlock;

    public BenchMessage Message(long k)
    {
        const int blockSize = StaysPerBlock * NotificationFlows.Steps;
        var block = k / blockSize;
        var inBlock = (int)(k % blockSize);
        var step = inBlock / StaysPerBlock;
        var stay = (block * StaysPerBlock) + (inBlock % StaysPerBlock);
        return flows.Create(firstStay + stay, step, hospitals[(int)(stay % hospitals.Count)], municipalUnits[(int)(stay % municipalUnits.Count)]);
    }
}
