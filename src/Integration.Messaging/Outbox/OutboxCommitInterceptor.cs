using System.Data.Common;
using System.Runtime.CompilerServices;
using Integration.Persistence.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace Integration.Messaging.Outbox;

/// <summary>
/// Hands the outbox rows a transaction wrote to <see cref="OutboxSender"/> the moment that transaction commits, so no
/// writer has to remember to. Rows are leased to this process as they are written: the dispatcher, polling the table,
/// leaves them to the sender until the lease runs out (then they were lost to a crash and it sends them).
/// Rows of a transaction that rolls back are never handed over: they do not exist.
/// </summary>
internal sealed class OutboxCommitInterceptor(CommittedOutboxRows committed, TimeProvider clock) : DbTransactionInterceptor, ISaveChangesInterceptor
{
    /// <summary>Rows being saved by a context, between SavingChanges and SavedChanges.</summary>
    private readonly ConditionalWeakTable<DbContext, OutboxMessage[]> _saving = new();
    /// <summary>Rows saved inside a transaction, waiting for its commit.</summary>
    private readonly ConditionalWeakTable<DbTransaction, List<OutboxMessage>> _uncommitted = new();

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Capture(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Capture(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public void SaveChangesCanceled(DbContextEventData eventData) => Forget(eventData.Context);

    public Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(transaction);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(transaction);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => _uncommitted.Remove(transaction);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        _uncommitted.Remove(transaction);
        return Task.CompletedTask;
    }

    private void Capture(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        // An outbox row is only ever added, and Add marks it Added at once: no need for the full DetectChanges that
        // Entries() would run first (with a group commit's hundreds of tracked entities it cost ~2 % of the hub's CPU).
        var detect = context.ChangeTracker.AutoDetectChangesEnabled;
        context.ChangeTracker.AutoDetectChangesEnabled = false;
        OutboxMessage[] rows;
        try
        {
            rows = context.ChangeTracker.Entries<OutboxMessage>()
                .Where(e => e.State == EntityState.Added)
                .Select(e => e.Entity)
                .ToArray();
        }
        finally
        {
            context.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
        if (rows.Length == 0)
        {
            _saving.Remove(context);
            return;
        }

        var lease = clock.GetUtcNow() + OutboxSender.CommitLease;
        foreach (var row in rows)
        {
            row.LockedUntil ??= lease;
        }

        _saving.AddOrUpdate(context, rows);
    }

    private void Saved(DbContext? context)
    {
        if (context is null || !_saving.TryGetValue(context, out var rows))
        {
            return;
        }

        _saving.Remove(context);
        if (context.Database.CurrentTransaction is { } transaction)
        {
            _uncommitted.GetValue(transaction.GetDbTransaction(), static _ => []).AddRange(rows);
        }
        else
        {
            committed.Add(rows); // SaveChanges ran in its own transaction, which has committed
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _saving.Remove(context);
        }
    }

    private void Committed(DbTransaction transaction)
    {
        if (_uncommitted.TryGetValue(transaction, out var rows))
        {
            _uncommitted.Remove(transaction);
            committed.Add([.. rows]);
        }
    }
}
