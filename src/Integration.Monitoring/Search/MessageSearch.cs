using System.Globalization;
using System.Text;
using Integration.Fhir;
using Integration.Persistence;
using Integration.Persistence.Messages;
using Integration.Privacy;
using Microsoft.EntityFrameworkCore;

namespace Integration.Monitoring.Search;

/// <summary>What to look for; every criterion is optional and they all must hold.</summary>
public sealed record MessageSearchCriteria
{
    public string? MessageHeaderId { get; init; }
    /// <summary>Message type, e.g. hospital-notification-message.</summary>
    public string? Type { get; init; }
    /// <summary>Business event, e.g. STIN or RE_SLHJ.</summary>
    public string? EventCode { get; init; }
    /// <summary>The sender's registry id, SOR, EAN, or part of its name.</summary>
    public string? Sender { get; init; }
    /// <summary>The receiver's registry id, SOR, EAN, or part of its name.</summary>
    public string? Receiver { get; init; }
    public MessageState? State { get; init; }
    /// <summary>Received at or after.</summary>
    public DateTimeOffset? From { get; init; }
    /// <summary>Received before.</summary>
    public DateTimeOffset? To { get; init; }
    /// <summary>The caller's scope: only this municipality's messages; null for all.</summary>
    public string? Municipality { get; init; }
}

/// <summary>One page of results, newest first; <see cref="Next"/> is the <c>before</c> of the following page.</summary>
public sealed record MessageSearchPage(IReadOnlyList<MessageSearchRow> Items, string? Next);

public sealed record MessageSearchRow
{
    public required Guid Id { get; init; }
    public required string MessageHeaderId { get; init; }
    public required string Type { get; init; }
    public string? EventCode { get; init; }
    public required SearchParty Sender { get; init; }
    public required SearchParty Receiver { get; init; }
    public string? Municipality { get; init; }
    /// <summary>received, routed, processed, failed, parked or discarded.</summary>
    public required string State { get; init; }
    public string? FailureReason { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>The citizen's CPR masked (birth date only, e.g. 250947-****).</summary>
    public string? Citizen { get; init; }
}

public sealed record SearchParty(string? PartnerId, string? Name, string? Ean, string? Sor);

/// <summary>Message search with keyset paging (newest first): a page costs the same however deep it is.</summary>
public sealed class MessageSearch(IDbContextFactory<HubDbContext> dbFactory, IFhirMessageParser parser)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    /// <param name="before">The cursor from the previous page's <see cref="MessageSearchPage.Next"/>; null for the first page.</param>
    public async Task<MessageSearchPage> FindAsync(MessageSearchCriteria criteria, int limit, MessageCursor? before, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = Filter(db.Messages.AsNoTracking().Include(m => m.Body), criteria);
        if (before is { } cursor)
        {
            query = query.Where(m => m.ReceivedAt < cursor.ReceivedAt || (m.ReceivedAt == cursor.ReceivedAt && m.Id.CompareTo(cursor.Id) < 0));
        }

        var rows = await query.OrderByDescending(m => m.ReceivedAt).ThenByDescending(m => m.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var page = rows.Take(limit).ToList();
        var next = rows.Count > limit ? new MessageCursor(page[^1].ReceivedAt, page[^1].Id).ToString() : null;
        return new MessageSearchPage([.. page.Select(ToRow)], next);
    }

    private static IQueryable<MessageRecord> Filter(IQueryable<MessageRecord> query, MessageSearchCriteria c)
    {
        if (c.Municipality is { } municipality)
        {
            query = query.Where(m => m.MunicipalityCode == municipality);
        }

        if (c.MessageHeaderId is { Length: > 0 } headerId)
        {
            query = query.Where(m => m.MessageHeaderId == headerId);
        }

        if (c.Type is { Length: > 0 } type)
        {
            query = query.Where(m => m.MessageType == type);
        }

        if (c.EventCode is { Length: > 0 } eventCode)
        {
            var upper = eventCode.ToUpperInvariant();
            query = query.Where(m => m.EventCode == upper);
        }

        if (c.State is { } state)
        {
            query = query.Where(m => m.State == state);
        }

        if (c.From is { } from)
        {
            var utc = from.ToUniversalTime();
            query = query.Where(m => m.ReceivedAt >= utc);
        }

        if (c.To is { } to)
        {
            var utc = to.ToUniversalTime();
            query = query.Where(m => m.ReceivedAt < utc);
        }

        if (c.Sender is { Length: > 0 } sender)
        {
            var name = ContainsPattern(sender);
            query = query.Where(m => m.SenderPartnerId == sender || m.SenderSor == sender || m.SenderEan == sender
                || (m.SenderName != null && EF.Functions.Like(m.SenderName.ToLower(), name, LikeEscape)));
        }

        if (c.Receiver is { Length: > 0 } receiver)
        {
            var name = ContainsPattern(receiver);
            query = query.Where(m => m.ReceiverPartnerId == receiver || m.ReceiverSor == receiver || m.ReceiverEan == receiver
                || (m.ReceiverName != null && EF.Functions.Like(m.ReceiverName.ToLower(), name, LikeEscape)));
        }

        return query;
    }

    private const string LikeEscape = "\\";

    /// <summary>A case-insensitive LIKE pattern for "contains" (lower-cased; the user's % and _ are literal).</summary>
    private static string ContainsPattern(string text) =>
        "%" + text.ToLowerInvariant().Replace(LikeEscape, LikeEscape + LikeEscape, StringComparison.Ordinal)
            .Replace("%", LikeEscape + "%", StringComparison.Ordinal).Replace("_", LikeEscape + "_", StringComparison.Ordinal) + "%";

    private MessageSearchRow ToRow(MessageRecord m) => new()
    {
        Id = m.Id,
        MessageHeaderId = m.MessageHeaderId,
        Type = m.MessageType,
        EventCode = m.EventCode,
        Sender = new SearchParty(m.SenderPartnerId, m.SenderName, m.SenderEan, m.SenderSor),
        Receiver = new SearchParty(m.ReceiverPartnerId, m.ReceiverName, m.ReceiverEan, m.ReceiverSor),
        Municipality = m.MunicipalityCode,
        State = m.State.ToString().ToLowerInvariant(),
        FailureReason = m.FailureReason,
        ReceivedAt = m.ReceivedAt,
        UpdatedAt = m.UpdatedAt,
        Citizen = parser.Parse(Encoding.UTF8.GetBytes(m.Body.FhirJson), FhirFormat.Json).Message?.Envelope.CitizenCpr is { Length: > 0 } cpr ? Cpr.Mask(cpr) : null,
    };

    public static MessageState? ParseState(string? state) =>
        Enum.TryParse<MessageState>(state, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed : null;
}

/// <summary>Where a page ended: the last row's reception time and id (ties on the time are broken by id).</summary>
public readonly record struct MessageCursor(DateTimeOffset ReceivedAt, Guid Id)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{ReceivedAt.UtcTicks}.{Id:N}");

    public static MessageCursor? Parse(string? text)
    {
        var dot = text?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        return dot > 0
            && long.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks <= DateTimeOffset.MaxValue.UtcTicks
            && Guid.TryParseExact(text.AsSpan(dot + 1), "N", out var id)
            ? new MessageCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id)
            : null;
    }
}
