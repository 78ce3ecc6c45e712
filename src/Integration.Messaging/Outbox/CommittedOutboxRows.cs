using System.Threading.Channels;
using Integration.Persistence.Outbox;

namespace Integration.Messaging.Outbox;

/// <summary>
/// Outbox rows whose transaction has committed, waiting for <see cref="OutboxSender"/>. A class of its own so that the
/// commit hook, which every database context carries, does not depend on the sender, which needs a database context.
/// </summary>
public sealed class CommittedOutboxRows
{
    private readonly Channel<OutboxMessage[]> _rows = Channel.CreateUnbounded<OutboxMessage[]>();

    /// <summary>Rows of one committed transaction; they are sent together, in no particular order (ADR 0012).</summary>
    internal void Add(OutboxMessage[] rows) => _rows.Writer.TryWrite(rows);

    internal ChannelReader<OutboxMessage[]> Reader => _rows.Reader;
}
