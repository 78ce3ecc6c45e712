using Integration.Persistence.Conversations;
using Integration.Persistence.Episodes;
using Integration.Persistence.HomeCare;
using Integration.Persistence.Ledger;
using Integration.Persistence.Messages;
using Integration.Persistence.Operations;
using Integration.Persistence.Outbox;
using Integration.Persistence.Statistics;
using Integration.Persistence.Stays;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Integration.Persistence;

/// <summary>
/// The hub's database. Services use this type; the provider-specific subclasses below exist so that each provider
/// has its own migrations (EF migrations are provider-specific).
/// </summary>
public abstract class HubDbContext : DbContext
{
    protected HubDbContext(DbContextOptions options)
        : base(options)
    {
        // No savepoint around each SaveChanges inside a transaction: two round trips per save, and no caller goes on
        // in a transaction after a failed save (they retry in a new one).
        Database.AutoSavepointsEnabled = false;
    }

    public DbSet<MessageRecord> Messages => Set<MessageRecord>();
    public DbSet<MessageEvent> MessageEvents => Set<MessageEvent>();
    public DbSet<BundleReception> BundleReceptions => Set<BundleReception>();
    public DbSet<RawMessage> RawMessages => Set<RawMessage>();
    public DbSet<AcknowledgementRecord> Acknowledgements => Set<AcknowledgementRecord>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<InboxEntry> Inbox => Set<InboxEntry>();
    public DbSet<HospitalStay> HospitalStays => Set<HospitalStay>();
    public DbSet<StayEvent> StayEvents => Set<StayEvent>();
    public DbSet<HomeCareCitizen> HomeCareCitizens => Set<HomeCareCitizen>();
    public DbSet<HomeCareAlertRecord> HomeCareAlerts => Set<HomeCareAlertRecord>();
    public DbSet<SentMessage> SentMessages => Set<SentMessage>();
    public DbSet<SentMessageEvent> SentMessageEvents => Set<SentMessageEvent>();
    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<ConversationMessage> ConversationMessages => Set<ConversationMessage>();
    public DbSet<EpisodeRecord> Episodes => Set<EpisodeRecord>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<FlowMinute> FlowMinutes => Set<FlowMinute>();
    public DbSet<FlowWatermark> FlowWatermarks => Set<FlowWatermark>();

    /// <summary>Steps added with <see cref="AddEvent"/> that the next save writes itself (PostgreSQL); null when none.</summary>
    private List<MessageEvent>? _pendingEvents;

    /// <summary>
    /// A save with at most this many steps hands them to EF's batch instead of writing them with a statement of its own:
    /// on this host a round trip to PostgreSQL costs ~65–270 µs of machine CPU when the processes sleep in between,
    /// more than EF's tracking of a few rows (ADR 0020). A bigger save (a group commit of many messages) writes them as
    /// one statement, as ADR 0018 decided.
    /// </summary>
    public const int StepsInEfBatchUpTo = 16;

    /// <summary>The most rows EF's provider sends as one command when no batch size is configured (Npgsql's 1,000;
    /// <c>OneRoundTripSaveTests</c> holds it to that).</summary>
    public const int ProviderDefaultMaxBatchSize = 1000;

    /// <summary>
    /// Adds a step to a message's history, written with this context's next SaveChanges, in the same transaction. Every
    /// message gets six of them; nothing reads one back before it is saved or changes it afterwards, so where the
    /// provider allows (<see cref="PostgresHubDbContext"/>) a big save writes them outside EF's change tracker and
    /// update pipeline, as one statement after EF's own (ADR 0018); a small one hands them to EF's batch (ADR 0020).
    /// </summary>
    public void AddEvent(MessageEvent step)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (WritesEventsItself)
        {
            (_pendingEvents ??= []).Add(step);
        }
        else
        {
            MessageEvents.Add(step);
        }
    }

    /// <summary>Whether <see cref="AddEvent"/> keeps the steps for <see cref="WriteEventsAsync"/> rather than tracking them.</summary>
    private protected virtual bool WritesEventsItself => false;

    /// <summary>Whether one command is one transaction: Npgsql sends a command's statements with one Sync, and PostgreSQL
    /// runs them as one implicit transaction, all or nothing.</summary>
    private protected virtual bool OneCommandIsAtomic => false;

    /// <summary>Inserts the steps in the current transaction (there is one: <see cref="SaveChangesAsync(bool, CancellationToken)"/> makes sure).</summary>
    private protected virtual Task WriteEventsAsync(IReadOnlyList<MessageEvent> steps, CancellationToken cancellationToken) =>
        throw new NotSupportedException("This provider's context tracks its history steps.");

    // Every save of the hub comes here. Without steps to write itself and without a one-command save to arrange, the save is
    // EF's own, with no state machine of ours around it.
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (_pendingEvents is { Count: <= StepsInEfBatchUpTo } few)
        {
            MessageEvents.AddRange(few);
            _pendingEvents = null;
        }

        return _pendingEvents is { } steps ? SaveWithStepsAsync(steps, acceptAllChangesOnSuccess, cancellationToken)
            : OneCommandIsAtomic && Database.CurrentTransaction is null ? SaveInsertsInOneRoundTripAsync(acceptAllChangesOnSuccess, cancellationToken)
            : base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>
    /// A save outside the caller's transaction that only inserts, and fits one command, is sent as that one command
    /// without BEGIN and COMMIT: one round trip instead of two, as atomic (ADR 0020). A save that updates or deletes keeps
    /// EF's transaction: EF checks the rows an update touched only after the command, and with an implicit transaction
    /// the other statements would have committed by then.
    /// </summary>
    private async Task<int> SaveInsertsInOneRoundTripAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        ChangeTracker.DetectChanges();
        var detect = ChangeTracker.AutoDetectChangesEnabled;
        var transactions = Database.AutoTransactionBehavior;
        ChangeTracker.AutoDetectChangesEnabled = false; // detected just now; the save would walk every entity again
        try
        {
            if (InsertsOnlyWithinOneCommand())
            {
                Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
            }

            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
            Database.AutoTransactionBehavior = transactions;
        }
    }

    private bool InsertsOnlyWithinOneCommand()
    {
        var limit = RelationalOptionsExtension.Extract(this.GetService<IDbContextOptions>()).MaxBatchSize ?? ProviderDefaultMaxBatchSize;
        var inserts = 0;
        foreach (var entry in ChangeTracker.Entries())
        {
            switch (entry.State)
            {
                case EntityState.Added:
                    // An entity sharing its row with another (a message and its body) is one command, counted as two: the
                    // count only errs on the safe side.
                    if (++inserts > limit)
                    {
                        return false;
                    }

                    break;
                case EntityState.Modified or EntityState.Deleted:
                    return false;
            }
        }

        return inserts > 0;
    }

    private async Task<int> SaveWithStepsAsync(List<MessageEvent> steps, bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        // The steps and the rest are one unit of work: without the caller's transaction the save gets one of its own.
        var own = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            await WriteEventsAsync(steps, cancellationToken); // after EF's inserts: a step refers to its message
            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }

            _pendingEvents = null;
            return saved + steps.Count;
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        // The synchronous save (tools and tests only) hands the steps to the change tracker instead.
        if (_pendingEvents is { } steps)
        {
            MessageEvents.AddRange(steps);
            _pendingEvents = null;
        }

        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    // A pooled context is reused: steps of a unit of work that was never saved must not reach the next one.
    public override void Dispose()
    {
        _pendingEvents = null;
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    public override ValueTask DisposeAsync()
    {
        _pendingEvents = null;
        GC.SuppressFinalize(this);
        return base.DisposeAsync();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<MessageRecord>(m =>
        {
            m.ToTable("messages");
            m.HasIndex(x => new { x.SenderKey, x.MessageHeaderId }).IsUnique();
            m.HasIndex(x => x.MessageHeaderId);
            m.HasIndex(x => new { x.State, x.UpdatedAt });
            m.HasIndex(x => x.ReceivedAt); // the dashboard's search by time range
            m.HasIndex(x => new { x.MunicipalityCode, x.ReceivedAt }); // a municipal user's search
            m.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
            m.Property(x => x.SenderKey).HasMaxLength(64);
            m.Property(x => x.MessageHeaderId).HasMaxLength(128);
            m.Property(x => x.BundleId).HasMaxLength(128);
            m.HasMany(x => x.Events).WithOne().HasForeignKey(e => e.MessageId);
            m.HasOne(x => x.Body).WithOne().HasForeignKey<MessageBody>(b => b.Id);
            m.Navigation(x => x.Body).IsRequired();
        });
        modelBuilder.Entity<MessageBody>(b => b.ToTable("messages"));
        modelBuilder.Entity<MessageEvent>(e =>
        {
            e.ToTable("message_events");
            e.HasIndex(x => x.MessageId);
            e.HasIndex(x => x.At); // the flow statistics count events by time
        });
        modelBuilder.Entity<BundleReception>(b =>
        {
            b.ToTable("bundle_receptions");
            b.HasKey(x => new { x.SenderKey, x.BundleId });
            b.Property(x => x.SenderKey).HasMaxLength(64);
            b.Property(x => x.BundleId).HasMaxLength(128);
        });
        modelBuilder.Entity<RawMessage>(r =>
        {
            r.ToTable("raw_messages");
            r.HasIndex(x => x.MessageId);
            r.HasIndex(x => x.ReceivedAt);
        });
        modelBuilder.Entity<AcknowledgementRecord>(a =>
        {
            a.ToTable("acknowledgements");
            a.HasIndex(x => x.MessageId).IsUnique();
            a.HasIndex(x => x.AckMessageHeaderId);
        });
        modelBuilder.Entity<OutboxMessage>().ToTable("outbox");
        modelBuilder.Entity<InboxEntry>(i =>
        {
            i.ToTable("inbox");
            i.HasKey(x => new { x.Consumer, x.SenderKey, x.MessageHeaderId });
            i.Property(x => x.Consumer).HasMaxLength(64);
            i.Property(x => x.SenderKey).HasMaxLength(64);
            i.Property(x => x.MessageHeaderId).HasMaxLength(128);
        });
        modelBuilder.Entity<HospitalStay>(s =>
        {
            s.ToTable("hospital_stays");
            s.HasIndex(x => new { x.MunicipalityCode, x.CitizenKey, x.StayIdentifier }).IsUnique();
            s.HasIndex(x => x.CitizenKey); // the notification handler reads a batch's stays by citizen (ADR 0012)
            s.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
            s.Property(x => x.Version).IsConcurrencyToken();
            s.HasMany(x => x.Events).WithOne().HasForeignKey(e => e.StayId);
        });
        modelBuilder.Entity<StayEvent>(e =>
        {
            e.ToTable("stay_events");
            e.HasIndex(x => x.StayId);
        });
        modelBuilder.Entity<HomeCareCitizen>(h =>
        {
            h.ToTable("homecare_citizens");
            h.HasKey(x => new { x.MunicipalityCode, x.CitizenKey });
            h.HasIndex(x => x.CitizenKey); // read by citizen for a batch of notifications
        });
        modelBuilder.Entity<HomeCareAlertRecord>(h =>
        {
            h.ToTable("homecare_alerts");
            h.HasIndex(x => x.MessageId);
        });
        modelBuilder.Entity<SentMessage>(l =>
        {
            l.ToTable("sent_messages");
            l.HasIndex(x => new { x.MessageHeaderId, x.ReceiverPartnerId }).IsUnique();
            l.HasIndex(x => new { x.State, x.AckDeadline });
            l.HasIndex(x => new { x.State, x.NextAttemptAt });
            l.HasIndex(x => x.SourceMessageId);
            l.Property(x => x.State).HasConversion<string>().HasMaxLength(24);
            l.Property(x => x.MessageHeaderId).HasMaxLength(128);
            l.Property(x => x.ReceiverPartnerId).HasMaxLength(128);
            l.Property(x => x.Version).IsConcurrencyToken();
            l.HasMany(x => x.Events).WithOne().HasForeignKey(e => e.SentMessageId);
        });
        modelBuilder.Entity<SentMessageEvent>(e =>
        {
            e.ToTable("sent_message_events");
            e.HasIndex(x => x.SentMessageId);
        });
        modelBuilder.Entity<Conversation>(c =>
        {
            c.ToTable("conversations");
            c.HasIndex(x => new { x.MunicipalityCode, x.ThreadId }).IsUnique();
            c.HasIndex(x => new { x.MunicipalityCode, x.CitizenKey });
            c.Property(x => x.ThreadId).HasMaxLength(128);
            c.HasMany(x => x.Messages).WithOne().HasForeignKey(m => m.ConversationId);
        });
        modelBuilder.Entity<ConversationMessage>(m =>
        {
            m.ToTable("conversation_messages");
            m.HasIndex(x => x.ConversationId);
            m.HasIndex(x => x.MessageId).IsUnique();
        });
        modelBuilder.Entity<EpisodeRecord>(e =>
        {
            e.ToTable("episodes");
            e.HasIndex(x => new { x.MunicipalityCode, x.SenderPartnerId, x.SourceIdentifier }).IsUnique();
            e.HasIndex(x => new { x.MunicipalityCode, x.CitizenKey });
            e.HasIndex(x => x.CitizenKey); // read by citizen for a batch of notifications
            e.HasIndex(x => new { x.MunicipalityCode, x.State });
            e.Property(x => x.State).HasMaxLength(16);
            e.Property(x => x.Source).HasMaxLength(16);
            e.Property(x => x.SourceIdentifier).HasMaxLength(128);
            e.Property(x => x.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<AuditEntry>(a =>
        {
            a.ToTable("audit_entries");
            a.HasIndex(x => x.At);
            a.HasIndex(x => new { x.MunicipalityCode, x.At });
            a.Property(x => x.Actor).HasMaxLength(128);
            a.Property(x => x.Role).HasMaxLength(16);
            a.Property(x => x.Action).HasMaxLength(32);
        });
        modelBuilder.Entity<FlowMinute>(f =>
        {
            f.ToTable("flow_minutes");
            f.HasKey(x => new { x.Minute, x.MessageType, x.MunicipalityCode });
            f.Property(x => x.MessageType).HasMaxLength(64);
            f.Property(x => x.MunicipalityCode).HasMaxLength(8);
        });
        modelBuilder.Entity<FlowWatermark>(w =>
        {
            w.ToTable("flow_watermarks");
            w.HasKey(x => x.Counter);
            w.Property(x => x.Counter).HasMaxLength(32);
            w.Property(x => x.Version).IsConcurrencyToken();
        });
    }
}

public sealed class PostgresHubDbContext(DbContextOptions<PostgresHubDbContext> options) : HubDbContext(options)
{
    // One text for any number of steps (one array per column), so Npgsql prepares it once per connection; the Id is
    // the identity column's, in the order the steps were added.
    private const string InsertEvents =
        """INSERT INTO message_events ("MessageId", "At", "Kind", "Detail") SELECT * FROM unnest(@message_ids, @ats, @kinds, @details)""";

    private protected override bool WritesEventsItself => true;

    private protected override bool OneCommandIsAtomic => true;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // FHIR bodies (a notification ~15 KB) are compressed as they are stored (TOAST). LZ4 does that in about a third of
        // the time of pglz, PostgreSQL's default, for ~12 % more bytes (docs/adr/0022-lz4-for-stored-bodies.md).
        modelBuilder.Entity<MessageBody>().Property(b => b.FhirJson).UseCompressionMethod("lz4");
        modelBuilder.Entity<RawMessage>().Property(r => r.Body).UseCompressionMethod("lz4");
        modelBuilder.Entity<AcknowledgementRecord>().Property(a => a.FhirJson).UseCompressionMethod("lz4");
        modelBuilder.Entity<Ledger.SentMessage>().Property(m => m.FhirJson).UseCompressionMethod("lz4");
    }

    private protected override async Task WriteEventsAsync(IReadOnlyList<MessageEvent> steps, CancellationToken cancellationToken)
    {
        var messageIds = new Guid[steps.Count];
        var ats = new DateTimeOffset[steps.Count];
        var kinds = new string[steps.Count];
        var details = new string?[steps.Count];
        for (var i = 0; i < steps.Count; i++)
        {
            messageIds[i] = steps[i].MessageId;
            ats[i] = steps[i].At.ToUniversalTime(); // timestamptz holds an instant; Npgsql takes only offset zero
            kinds[i] = steps[i].Kind;
            details[i] = steps[i].Detail;
        }

        var connection = (NpgsqlConnection)Database.GetDbConnection();
        await using var command = new NpgsqlCommand(InsertEvents, connection, (NpgsqlTransaction)Database.CurrentTransaction!.GetDbTransaction());
        command.CommandTimeout = Database.GetCommandTimeout() ?? command.CommandTimeout;
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("message_ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { TypedValue = messageIds });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("ats", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = ats });
        command.Parameters.Add(new NpgsqlParameter<string[]>("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = kinds });
        command.Parameters.Add(new NpgsqlParameter<string?[]>("details", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = details });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        // timestamptz holds an instant; Npgsql refuses offsets other than zero. MedCom times carry +01:00/+02:00.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeOffsetConverter>();
    }

    private sealed class UtcDateTimeOffsetConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, DateTimeOffset>(
        value => value.ToUniversalTime(), value => value);
}

public sealed class SqliteHubDbContext(DbContextOptions<SqliteHubDbContext> options) : HubDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        // SQLite cannot compare or order DateTimeOffset values stored as text; store them as sortable integers.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter>();
    }
}
