using Integration.Contracts;
using Integration.Fhir;
using Integration.Persistence;
using Integration.Persistence.Messages;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Integration.Routing;

/// <summary>
/// Routes a stored message that ingress did not route itself (acknowledgements, which settle the ACK ledger with this
/// endpoint's retries) and messages an operator retries: loads it, checks MedCom's rules, and lets
/// <see cref="MessageRouter"/> decide, in one transaction.
/// </summary>
public sealed class RouteMessageConsumer(
    IDbContextFactory<HubDbContext> dbFactory,
    IMessageValidator validator,
    MessageRouter router,
    TimeProvider clock) : IConsumer<RouteMessage>
{
    public async Task Consume(ConsumeContext<RouteMessage> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Message;
        var cancellationToken = context.CancellationToken;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var message = await db.Messages.Include(m => m.Body).FirstOrDefaultAsync(m => m.Id == command.MessageId, cancellationToken);
        if (message is null || message.State != MessageState.Received)
        {
            return; // routed before (the outbox may send a row twice after a crash)
        }

        var report = validator.Validate(message.Body.FhirJson);
        await router.ApplyAsync(db, message, command, report, clock.GetUtcNow(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
