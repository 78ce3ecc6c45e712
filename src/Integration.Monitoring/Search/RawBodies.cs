using System.Text;
using Integration.Persistence;
using Integration.Persistence.Messages;
using Integration.Privacy;
using Microsoft.EntityFrameworkCore;

namespace Integration.Monitoring.Search;

/// <summary>GET /api/messages/{id}/raw: every body received for a message (first sending, resends, rejected ones).</summary>
public sealed record RawBodiesView(string MessageHeaderId, IReadOnlyList<RawBodyView> Bodies);

public sealed record RawBodyView
{
    public required DateTimeOffset ReceivedAt { get; init; }
    public required string ContentType { get; init; }
    /// <summary>accepted, duplicate or rejected.</summary>
    public required string Outcome { get; init; }
    public string? RejectionReason { get; init; }
    /// <summary>The body as received (UTF-8 text, JSON or XML) with every CPR number masked.</summary>
    public required string Body { get; init; }
}

/// <summary>Reads a message's raw bodies with CPR numbers masked: the message's own citizen by value (whatever its
/// format), and anything else that looks like a CPR number (relatives, a CPR in free text).</summary>
public sealed class RawBodies(IDbContextFactory<HubDbContext> dbFactory)
{
    public async Task<IReadOnlyList<RawBodyView>> ForAsync(Guid messageId, string? citizenCpr, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.RawMessages.AsNoTracking().Where(r => r.MessageId == messageId).OrderBy(r => r.ReceivedAt).ToListAsync(cancellationToken);
        // A body stored once is the message's FHIR JSON (RawMessage.Body).
        var messageJson = rows.Any(r => r.Body is null)
            ? await db.Set<MessageBody>().AsNoTracking().Where(b => b.Id == messageId).Select(b => b.FhirJson).FirstOrDefaultAsync(cancellationToken)
            : null;
        return
        [
            .. rows.Select(r => new RawBodyView
            {
                ReceivedAt = r.ReceivedAt,
                ContentType = r.ContentType,
                Outcome = r.Outcome,
                RejectionReason = r.RejectionReason,
                Body = Mask(r.Body is null ? messageJson ?? "" : Encoding.UTF8.GetString(r.Body), citizenCpr),
            }),
        ];
    }

    public static string Mask(string body, string? citizenCpr)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (citizenCpr is { Length: > 0 })
        {
            var digits = Cpr.Normalize(citizenCpr);
            var masked = Cpr.Mask(digits);
            body = body.Replace(digits, masked, StringComparison.Ordinal);
            if (digits.Length == 10)
            {
                body = body.Replace($"{digits[..6]}-{digits[6..]}", masked, StringComparison.Ordinal);
            }
        }

        return Cpr.MaskInText(body);
    }
}
