namespace Integration.Messaging.Outbox;

/// <summary>
/// A consumer in this process that can take an outbox row's message the moment its transaction commits, instead of
/// through the broker: one broker hop fewer per message. <see cref="OutboxSender"/> offers it each freshly committed row;
/// when it declines or fails, the row goes through the broker as usual, so the broker path (with its retries, fault
/// handling and error queue) stays the one that answers for the message. The consumer must be idempotent for the
/// same reason the broker path is: after a crash the dispatcher sends the row again.
/// See docs/adr/0011-in-process-ack-delivery.md.
/// </summary>
public interface IInProcessDelivery
{
    /// <summary>Whether this consumer would take a message of <paramref name="messageType"/> addressed to <paramref name="destination"/>.</summary>
    bool Takes(string destination, Type messageType);

    /// <returns>true when the message was handled completely; false to send it through the broker.</returns>
    Task<bool> TryHandleAsync(object message, CancellationToken cancellationToken);
}
