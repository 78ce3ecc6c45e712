using BenchmarkDotNet.Attributes;
using Integration.Persistence;
using Integration.Persistence.Messages;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Integration.Bench.Micro;

/// <summary>
/// One lookup of the hub's hot path (messages by MessageHeader.id, as ingress and the municipal handler ask it) written
/// as a LINQ query (the baseline: EF walks, hashes and looks up the expression on every execution) and compiled with
/// EF.CompileAsyncQuery once per model, as the hub now does (CompiledQuery). On SQLite in memory, so that what differs
/// is EF's work, not the database's.
/// </summary>
[MemoryDiagnoser]
public class QueryPreparationBenchmarks : IDisposable
{
    private static readonly CompiledQuery<Func<HubDbContext, List<string>, IAsyncEnumerable<MessageRecord>>> MessagesByHeader = new(() =>
        EF.CompileAsyncQuery((HubDbContext db, List<string> headerIds) => db.Messages.Where(m => headerIds.Contains(m.MessageHeaderId))));

    private SqliteConnection _connection = null!;
    private PooledDbContextFactory<SqliteHubDbContext> _factory = null!;
    private List<string> _wanted = [];

    [Params(1, 10)]
    public int Messages { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        // An open connection keeps the in-memory database alive between contexts.
        _connection = new SqliteConnection("Data Source=:memory:");
        await _connection.OpenAsync();
        _factory = new PooledDbContextFactory<SqliteHubDbContext>(new DbContextOptionsBuilder<SqliteHubDbContext>().UseSqlite(_connection).Options);
        await using var db = _factory.CreateDbContext();
        await db.Database.MigrateAsync();
        var now = DateTimeOffset.UtcNow;
        var headers = Enumerable.Range(0, 1000).Select(i => $"header-{i}").ToList();
        db.Messages.AddRange(headers.Select(h => Guid.NewGuid()).Zip(headers, (id, h) => new MessageRecord
        {
            Id = id, Body = new MessageBody { Id = id, FhirJson = "{}" }, SenderKey = "ean:5790000000001", MessageHeaderId = h, BundleId = "bundle-" + h,
            MessageType = "hospital-notification", CitizenKey = "citizen", ReceivedAt = now, UpdatedAt = now,
        }));
        await db.SaveChangesAsync();
        _wanted = [.. headers.Where((_, i) => i % 100 < Messages).Take(Messages)];
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _connection.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public async Task<int> Linq()
    {
        await using var db = _factory.CreateDbContext();
        var wanted = _wanted;
        return (await db.Messages.Where(m => wanted.Contains(m.MessageHeaderId)).ToListAsync()).Count;
    }

    [Benchmark]
    public async Task<int> Compiled()
    {
        await using var db = _factory.CreateDbContext();
        return (await MessagesByHeader.For(db)(db, _wanted).ToListAsync()).Count;
    }
}
