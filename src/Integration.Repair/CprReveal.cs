using Integration.Access;
using System.Text;
using Integration.Fhir;
using Integration.Persistence;
using Integration.Privacy;
using Microsoft.EntityFrameworkCore;

namespace Integration.Repair;

/// <summary>The citizen's CPR number of one message, shown to a person who gave a reason.</summary>
public sealed record RevealedCpr(string MessageHeaderId, string? Cpr);

/// <summary>
/// Shows the CPR number a stored message carries. The audit entry ("reveal-cpr": who, why, which message) is committed
/// before the number is returned, and never holds the number. A principal that may not see the message's municipality
/// is told the message does not exist.
/// </summary>
public sealed class CprReveal(IDbContextFactory<HubDbContext> dbFactory, IFhirMessageParser parser, AuditLog audit)
{
    public async Task<RevealedCpr?> RevealAsync(Actor actor, string id, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var message = await RepairMessages.FindAsync(db, id, cancellationToken);
        if (message is null || !actor.MaySee(message.MunicipalityCode))
        {
            return null;
        }

        var cpr = parser.Parse(Encoding.UTF8.GetBytes(message.Body.FhirJson), FhirFormat.Json).Message?.Envelope.CitizenCpr;
        audit.Add(db, actor, AuditActions.RevealCpr, message.MessageHeaderId, Cpr.MaskInText(reason),
            cpr is null ? "no CPR number in the message" : "shown", message.MunicipalityCode);
        await db.SaveChangesAsync(cancellationToken);
        return new RevealedCpr(message.MessageHeaderId, cpr);
    }
}
