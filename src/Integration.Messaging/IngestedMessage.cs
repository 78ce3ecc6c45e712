using Integration.Persistence.Messages;

namespace Integration.Messaging;

/// <summary>
/// What ingress stored of a message it routed and what it read from it, left in <see cref="ReadAhead"/> for the first
/// delivery of the message's command in this process (docs/adr/0021-first-delivery-without-reading-back.md). Taking it
/// is what makes a delivery the first: the message is then known to be stored as <see cref="Stored"/>, not applied and
/// not acknowledged, so the handler attaches it instead of reading it back. A delivery that finds nothing reads the
/// stored message as before.
/// </summary>
/// <param name="Stored">The message's columns as ingress wrote them (<see cref="MessageRecord.CopyOfColumns"/>).</param>
/// <param name="Facts">What ingress read from the message for its handler.</param>
public sealed record IngestedMessage<TFacts>(MessageRecord Stored, TFacts Facts)
    where TFacts : class;
