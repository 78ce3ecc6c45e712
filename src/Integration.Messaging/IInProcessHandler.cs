namespace Integration.Messaging;

/// <summary>
/// A consumer of this process that takes messages of one contract on one queue straight from the outbox sender, once the
/// transaction that wrote them has committed, instead of through the broker (docs/adr/0013-in-process-ack-delivery.md).
/// The outbox row stays the durable record: it is marked sent only when the handler has finished, and a message the
/// handler does not finish (false, an exception, a timeout) is sent through the broker to the queue's consumer as before.
/// The handler must therefore be idempotent in the same way as that consumer.
/// </summary>
public interface IInProcessHandler
{
    /// <summary>The queue whose consumer this handler stands in for.</summary>
    string Queue { get; }

    /// <summary>The contract it takes (the outbox row's message type).</summary>
    Type MessageType { get; }

    /// <returns>true when the message is done with; false to leave it to the broker and the queue's consumer.</returns>
    Task<bool> TryHandleAsync(object message, CancellationToken cancellationToken);
}
