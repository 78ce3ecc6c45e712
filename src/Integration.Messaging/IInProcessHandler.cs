namespace Integration.Messaging;

/// <summary>
/// A consumer of this process that takes messages of one contract on one queue straight from the outbox sender, once the
/// transaction that wrote them has committed, instead of through the broker (docs/adr/0013-in-process-ack-delivery.md).
/// The outbox row stays the durable record: the handler removes it (<see cref="Outbox.OutboxWriter.RemoveSentAsync"/>) in
/// the transaction that records what it did, so the row is there until that record is written (a crash before then has
/// the row sent again after its lease: receivers are idempotent), and a row it does not finish (false, an exception, a
/// timeout) is sent through the broker to the queue's consumer as before.
/// </summary>
public interface IInProcessHandler
{
    /// <summary>The queue whose consumer this handler stands in for.</summary>
    string Queue { get; }

    /// <summary>The contract it takes (the outbox row's message type).</summary>
    Type MessageType { get; }

    /// <param name="outboxId">The row to remove with the handler's own commit.</param>
    /// <returns>true when the message is done with (its record, removing the row, may follow: docs/adr/0016); false to
    /// leave it to the broker and the queue's consumer.</returns>
    Task<bool> TryHandleAsync(object message, long outboxId, CancellationToken cancellationToken);
}
