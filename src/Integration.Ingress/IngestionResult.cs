namespace Integration.Ingress;

public enum IngestionOutcome { Accepted, Duplicate, Rejected }

/// <summary>What ingress did with a body. <see cref="Reason"/> explains a rejection (no patient data in it).</summary>
public sealed record IngestionResult(IngestionOutcome Outcome, string? MessageHeaderId, string? Reason, string? Location = null);
