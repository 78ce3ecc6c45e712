using Integration.Api.Messages;
using Integration.Persistence.Ledger;

namespace Integration.Api.Ledger;

internal static class SentMessageViews
{
    /// <summary>MedCom's sender state names as the API shows them.</summary>
    public static string Wire(SentMessageState state) => state switch
    {
        SentMessageState.Sent => "sent",
        SentMessageState.AwaitingAck => "awaiting-ack",
        SentMessageState.Acknowledged => "acknowledged",
        SentMessageState.InError => "in-error",
        SentMessageState.WaitingForRetry => "waiting-for-retry",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    public static SentMessageState? Parse(string? wire) => wire switch
    {
        "sent" => SentMessageState.Sent,
        "awaiting-ack" => SentMessageState.AwaitingAck,
        "acknowledged" => SentMessageState.Acknowledged,
        "in-error" => SentMessageState.InError,
        "waiting-for-retry" => SentMessageState.WaitingForRetry,
        _ => null,
    };

    public static TraceSending ToTrace(SentMessage row) => new()
    {
        Id = row.Id,
        MessageHeaderId = row.MessageHeaderId,
        Type = row.MessageType,
        Receiver = row.ReceiverPartnerId,
        State = Wire(row.State),
        Sendings = row.Sendings,
        CurrentBundleId = row.CurrentBundleId,
        LastSentAt = row.LastSentAt,
        AckDeadline = row.AckDeadline,
        NextAttemptAt = row.NextAttemptAt,
        AckCode = row.AckCode,
        AckIssueCode = row.AckIssueCode,
        LastError = row.LastError,
        History = [.. row.Events.OrderBy(e => e.Id).Select(e => new TraceStep(e.At, e.Kind, e.Detail))],
    };
}
