using System.Text;
using Integration.Access;
using Integration.Api.Ledger;
using Integration.Fhir;
using Integration.Monitoring.Search;
using Integration.Persistence;
using Integration.Persistence.Messages;
using Integration.Privacy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Integration.Api.Messages;

public static class MessageTraceEndpoints
{
    public static IEndpointRouteBuilder MapMessageTrace(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/messages/{id}", GetTraceAsync).RequireAuthorization(HubPolicies.ReadFlow);
        endpoints.MapGet("/api/messages/{id}/raw", GetRawAsync).RequireAuthorization(HubPolicies.ReadFlow);
        return endpoints;
    }

    /// <summary>The bodies exactly as received (first sending, resends, a rejected one), every CPR number masked.</summary>
    private static async Task<IResult> GetRawAsync(
        string id, HttpContext context, HubDbContext db, IFhirMessageParser parser, RawBodies raw, CancellationToken cancellationToken)
    {
        var message = await FindAsync(db, id, context.User.MunicipalityScope(), cancellationToken);
        if (message is null)
        {
            return Results.NotFound();
        }

        var cpr = parser.Parse(Encoding.UTF8.GetBytes(message.Body.FhirJson), FhirFormat.Json).Message?.Envelope.CitizenCpr;
        return Results.Ok(new RawBodiesView(message.MessageHeaderId, await raw.ForAsync(message.Id, cpr, cancellationToken)));
    }

    /// <summary>MessageHeader.id is unique per sender; two senders reusing an id is possible, so the latest. A municipal
    /// principal finds only its own municipality's messages: another's is "not found", not "forbidden", so that it
    /// does not learn which ids exist.</summary>
    private static Task<MessageRecord?> FindAsync(HubDbContext db, string id, string? municipality, CancellationToken cancellationToken) =>
        db.Messages.AsNoTracking().Include(m => m.Body)
            .Where(m => m.MessageHeaderId == id && (municipality == null || m.MunicipalityCode == municipality))
            .OrderByDescending(m => m.ReceivedAt)
            .FirstOrDefaultAsync(cancellationToken);

    private static async Task<IResult> GetTraceAsync(
        string id, HttpContext context, HubDbContext db, IFhirMessageParser parser, IAcknowledgementReader acknowledgementReader, CancellationToken cancellationToken)
    {
        // One snapshot for all the reads: otherwise a message read as "received" could show the acknowledgement that
        // its processing committed a moment later, a state the message was never in.
        await using var snapshot = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var message = await FindAsync(db, id, context.User.MunicipalityScope(), cancellationToken);
        if (message is null)
        {
            return Results.NotFound();
        }

        var bundles = await db.BundleReceptions.AsNoTracking().Where(b => b.MessageId == message.Id).OrderBy(b => b.ReceivedAt).Select(b => b.BundleId).ToListAsync(cancellationToken);
        var history = await db.MessageEvents.AsNoTracking().Where(e => e.MessageId == message.Id).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        var ack = await db.Acknowledgements.AsNoTracking().FirstOrDefaultAsync(a => a.MessageId == message.Id, cancellationToken);
        var sentForIt = await db.SentMessages.AsNoTracking().Include(s => s.Events).Where(s => s.SourceMessageId == message.Id).ToListAsync(cancellationToken);
        var sent = sentForIt.FirstOrDefault(s => s.MessageHeaderId == message.MessageHeaderId);
        var conversationId = await db.ConversationMessages.AsNoTracking().Where(c => c.MessageId == message.Id)
            .Join(db.Conversations, m => m.ConversationId, c => c.Id, (m, c) => c.ThreadId).FirstOrDefaultAsync(cancellationToken);
        var envelope = parser.Parse(Encoding.UTF8.GetBytes(message.Body.FhirJson), FhirFormat.Json).Message?.Envelope;

        return Results.Ok(new MessageTrace
        {
            MessageHeaderId = message.MessageHeaderId,
            BundleIds = bundles,
            Type = message.MessageType,
            EventCode = message.EventCode,
            Sender = new TraceParty(message.SenderPartnerId, message.SenderName, message.SenderEan, message.SenderSor),
            Receiver = new TraceParty(message.ReceiverPartnerId, message.ReceiverName, message.ReceiverEan, message.ReceiverSor),
            Municipality = message.MunicipalityCode,
            Citizen = envelope?.CitizenCpr is { } cpr ? Cpr.Mask(cpr) : null,
            State = message.State.ToString().ToLowerInvariant(),
            FailureReason = message.FailureReason,
            Duplicates = message.DuplicateCount,
            ReceivedAt = message.ReceivedAt,
            UpdatedAt = message.UpdatedAt,
            Acknowledgement = ack is null ? null : new TraceAcknowledgement
            {
                Code = ack.Code,
                IssueCode = ack.IssueCode,
                IssueCodes = acknowledgementReader.Read(ack.FhirJson).Acknowledgement?.Issues.Select(i => i.Code).ToList() ?? [],
                MessageHeaderId = ack.AckMessageHeaderId,
                BundleId = ack.AckBundleId,
                SentAt = ack.CreatedAt,
                Delivered = ack.DeliveredAt is not null,
                DeliveredAt = ack.DeliveredAt,
                Channel = ack.Channel,
                DeliveryAttempts = ack.DeliveryAttempts,
                LastDeliveryError = ack.LastDeliveryError,
            },
            Sending = sent is null ? null : SentMessageViews.ToTrace(sent),
            Caused = [.. sentForIt.Where(s => s != sent).Select(SentMessageViews.ToTrace)],
            ConversationId = conversationId,
            History = [.. history.Select(h => new TraceStep(h.At, h.Kind, h.Detail))],
        });
    }
}
