namespace Integration.EndToEnd.Tests.Conformance;

/// <summary>What a receiver does with one message, in MedCom's terms: the HTTP answer and what goes back to the sender.</summary>
public abstract record Outcome
{
    private Outcome()
    {
    }

    /// <summary>400 + OperationOutcome: the body is not a parseable FHIR message Bundle, so nobody can be acknowledged.</summary>
    public sealed record Rejected400 : Outcome
    {
        public override string ToString() => "400, not a FHIR message";
    }

    /// <summary>202, applied, and an <c>ok</c> acknowledgement to the sender.</summary>
    public sealed record Ok : Outcome
    {
        public override string ToString() => "ok ACK";
    }

    /// <summary>202 and a <c>fatal-error</c> acknowledgement carrying the MedCom issue detail <paramref name="Code"/>.</summary>
    public sealed record FatalError(string Code) : Outcome
    {
        public override string ToString() => $"fatal-error ACK {Code}";
    }

    /// <summary>202 for a message already received from the same sender: nothing applied again, and the answer
    /// <paramref name="First"/> got (its ACK, unchanged) goes out again; an ACK gets nothing either time.</summary>
    public sealed record Duplicate(Outcome First) : Outcome
    {
        public override string ToString() => First is AckReceivedNotAcknowledged
            ? "duplicate ACK: nothing sent"
            : $"duplicate: the same {First} again";
    }

    /// <summary>202 for an acknowledgement: matched against what the hub sent, never acknowledged itself.</summary>
    public sealed record AckReceivedNotAcknowledged : Outcome
    {
        public override string ToString() => "ACK received, not acknowledged";
    }

    /// <summary>202, and the hub sends the message on (outgoing from a municipality it serves, or relayed between other
    /// partners) and tracks it until the receiver acknowledges: the hub itself sends no ACK.</summary>
    public sealed record SentOn : Outcome
    {
        public override string ToString() => "sent on, no ACK from the hub";
    }
}
