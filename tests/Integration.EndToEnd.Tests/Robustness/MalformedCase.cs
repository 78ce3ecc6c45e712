namespace Integration.EndToEnd.Tests.Robustness;

/// <summary>What the hub must answer a malformed or hostile body with (DESIGN.md, POST /fhir/$process-message).</summary>
public enum ExpectedAnswer
{
    /// <summary>Not a parseable message Bundle: 400 with an OperationOutcome, the body kept.</summary>
    Rejected400,

    /// <summary>A parseable message Bundle that breaks MedCom's rules: 202, then a fatal-error acknowledgement to the sender.</summary>
    FatalErrorAck,
}

/// <summary>One body of the corpus. <see cref="Name"/> is <c>family/variant/example</c> and never holds patient data.</summary>
public sealed record MalformedCase(string Name, string Family, ReadOnlyMemory<byte> Body, string? ContentType, ExpectedAnswer Expected)
{
    /// <summary>For <see cref="ExpectedAnswer.FatalErrorAck"/>: the fresh MessageHeader.id the trace and the ACK are found by.</summary>
    public string? MessageHeaderId { get; init; }

    /// <summary>For <see cref="ExpectedAnswer.FatalErrorAck"/>: the issue codes the ACK may carry; empty means any
    /// MedCom or HL7 message issue code (<c>MSG_…</c>).</summary>
    public IReadOnlyList<string> IssueCodes { get; init; } = [];
}
