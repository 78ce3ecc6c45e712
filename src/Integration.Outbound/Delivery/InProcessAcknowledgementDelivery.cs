using System.Collections.Concurrent;
using Integration.Contracts;
using Integration.Messaging;
using Integration.Messaging.Outbox;
using Microsoft.Extensions.Logging;

namespace Integration.Outbound.Delivery;

/// <summary>
/// Delivers an acknowledgement right after the commit that created it, in this process, instead of through
/// <c>hub.outbound</c>: the sender gets its answer one broker hop sooner, and the hub spends one send and one consume less
/// per message. One bounded attempt: when the partner does not take it, the outbox row goes through the broker, whose
/// consumer retries and records the failure as before; and that partner's acknowledgements take the broker path for a
/// while, so a partner that is down does not hold the outbox sender's slots. See docs/adr/0011-in-process-ack-delivery.md.
/// </summary>
public sealed partial class InProcessAcknowledgementDelivery(
    AcknowledgementDelivery delivery,
    TimeProvider clock,
    ILogger<InProcessAcknowledgementDelivery> logger) : IInProcessDelivery
{
    /// <summary>The whole in-process attempt, the HTTP client's quick retries included.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);
    /// <summary>After a failed attempt, a partner's acknowledgements go through the broker for this long.</summary>
    public static readonly TimeSpan BrokerOnlyAfterFailure = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _brokerOnlyUntil = new(StringComparer.Ordinal);

    public bool Takes(string destination, Type messageType) =>
        messageType == typeof(DeliverAcknowledgement) && string.Equals(destination, QueueNames.Outbound, StringComparison.Ordinal);

    public async Task<bool> TryHandleAsync(object message, CancellationToken cancellationToken)
    {
        var command = (DeliverAcknowledgement)message;
        var partner = command.PartnerId ?? "";
        if (_brokerOnlyUntil.TryGetValue(partner, out var until))
        {
            if (clock.GetUtcNow() < until)
            {
                return false;
            }

            _brokerOnlyUntil.TryRemove(partner, out _);
        }

        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(AttemptTimeout);
        try
        {
            await delivery.DeliverAsync(command, attempt.Token);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            _brokerOnlyUntil[partner] = clock.GetUtcNow() + BrokerOnlyAfterFailure;
            LogFellBack(logger, command.AcknowledgementId, partner, ex);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Acknowledgement {AcknowledgementId} to {PartnerId} not delivered at once; it goes through hub.outbound with retries")]
    private static partial void LogFellBack(ILogger logger, Guid acknowledgementId, string partnerId, Exception exception);
}
