using System.Buffers.Binary;
using System.Collections.Concurrent;
using Integration.Ids;
using Integration.Testing;
using Npgsql;

namespace Integration.Persistence.Tests;

/// <summary>The hub's ids (ADR 0023, 0026): UUID version 7 with the time in front, random bits that never repeat, and the
/// same order in .NET as in PostgreSQL's uuid type.</summary>
public sealed class TimeOrderedIdTests
{
    [Fact]
    public void GivenATime_WhenAnIdIsMade_ThenItIsAVersion7UuidOfTheRfcVariantWithThatMillisecondInFront()
    {
        var at = new DateTimeOffset(2026, 12, 7, 21, 45, 12, 345, TimeSpan.FromHours(1));

        var id = TimeOrderedId.New(at);

        Assert.Equal(7, id.Version);
        Assert.Equal(0b10, id.Variant >> 2); // RFC 9562's variant: the two high bits of byte 8 are 10
        var bytes = id.ToByteArray(bigEndian: true);
        Assert.Equal(at.ToUnixTimeMilliseconds(), BinaryPrimitives.ReadInt64BigEndian(bytes) >>> 16);
        Assert.Equal(id, Guid.Parse(id.ToString())); // the text form is the byte order: what PostgreSQL and FHIR see
    }

    [Fact]
    public void GivenManyIdsOfOneMillisecondOnSeveralThreads_WhenMade_ThenNoTwoAreAlike()
    {
        var at = DateTimeOffset.UtcNow;
        var ids = new ConcurrentBag<Guid>();

        // 8 threads × 20,000 ids: each thread's buffer of random bytes is refilled hundreds of times.
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                ids.Add(TimeOrderedId.New(at));
            }
        });

        Assert.Equal(160_000, ids.Distinct().Count());
        // Within one millisecond only the random bits tell ids apart: 74 of them, so in 160,000 ids none of the random
        // parts repeats, and neither does any 64-bit half of them.
        Assert.Equal(160_000, ids.Select(id => BinaryPrimitives.ReadUInt64BigEndian(id.ToByteArray(bigEndian: true).AsSpan(8))).Distinct().Count());
    }

    [Fact]
    public void GivenATimeBefore1970_WhenAnIdIsMade_ThenRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TimeOrderedId.New(new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.Zero)));
        Assert.Equal(7, TimeOrderedId.New(DateTimeOffset.MaxValue).Version); // the latest time there is still fits
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task GivenIdsMadeAtDifferentMilliseconds_WhenSortedInDotNetAndInPostgres_ThenBothFollowTime()
    {
        var start = new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
        // Milliseconds that differ in every byte of the time part, made in shuffled order.
        var times = new[] { 0L, 1, 255, 256, 65_535, 65_536, 16_777_216, 4_294_967_296, 1_099_511_627_776 }
            .Select(ms => start.AddMilliseconds(ms % 3_000_000_000_000))
            .Concat([new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero)])
            .ToList();
        var made = times.OrderBy(_ => Random.Shared.Next()).Select(t => (At: t, Id: TimeOrderedId.New(t))).ToList();
        var byTime = made.OrderBy(m => m.At).Select(m => m.Id).ToList();

        Assert.Equal(byTime, made.Select(m => m.Id).Order().ToList());

        var server = await SharedServers.PostgresAsync();
        await using var connection = new NpgsqlConnection(await server.CreateDatabaseAsync());
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand("CREATE TABLE ids (id uuid PRIMARY KEY)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using (var insert = new NpgsqlCommand("INSERT INTO ids SELECT unnest(@ids)", connection))
        {
            insert.Parameters.AddWithValue("ids", made.Select(m => m.Id).ToArray());
            await insert.ExecuteNonQueryAsync();
        }

        var inPostgresOrder = new List<Guid>();
        await using (var select = new NpgsqlCommand("SELECT id FROM ids ORDER BY id", connection))
        await using (var reader = await select.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                inPostgresOrder.Add(reader.GetGuid(0));
            }
        }

        Assert.Equal(byTime, inPostgresOrder);
    }
}
