namespace Integration.Messaging;

/// <summary>The hub's queues (contracts/topology.md documents them for operators and partners).</summary>
public static class QueueNames
{
    public const string Router = "hub.router";
    public const string Outbound = "hub.outbound";

    public static string Municipality(string code) => $"municipality.{code}";

    public static string HomeCare(string municipalityCode) => $"homecare.{municipalityCode}";
}
