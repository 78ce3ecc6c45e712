using Integration.Persistence.Messages;
using Integration.Testing;
using Microsoft.EntityFrameworkCore;

namespace Integration.Persistence.Tests;

/// <summary>On PostgreSQL the stored FHIR bodies are compressed with LZ4 (ADR 0022), and read back unchanged.</summary>
[Trait("Category", "Integration")]
public sealed class StoredBodyCompressionTests
{
    [Fact]
    public async Task GivenTheMigratedSchema_WhenTheBodyColumnsAreInspected_ThenEachCompressesWithLz4()
    {
        await using var db = await MigratedAsync();

        // pg_attribute.attcompression: 'l' LZ4, 'p' pglz, '' the server's default (pglz unless configured).
        var methods = await db.Database.SqlQueryRaw<string>("""
            SELECT c.relname || '.' || a.attname || '=' || a.attcompression::text AS "Value"
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            WHERE (c.relname, a.attname) IN (('messages', 'FhirJson'), ('raw_messages', 'Body'), ('acknowledgements', 'FhirJson'), ('sent_messages', 'FhirJson'))
            ORDER BY 1
            """).ToListAsync();

        Assert.Equal(
            ["acknowledgements.FhirJson=l", "messages.FhirJson=l", "raw_messages.Body=l", "sent_messages.FhirJson=l"],
            methods);
    }

    [Fact]
    public async Task GivenAMessageBodyLargeEnoughToCompress_WhenStoredAndRead_ThenItWasCompressedWithLz4AndComesBackTheSame()
    {
        await using var db = await MigratedAsync();
        var message = TestMessages.New();
        var json = MedComExamples.HospitalNotification("a5e5b880"); // ~12 KB: compressed by TOAST
        message.Body.FhirJson = json;
        db.Messages.Add(message);
        await db.SaveChangesAsync();

        var method = await db.Database.SqlQuery<string>($"""SELECT pg_column_compression("FhirJson") AS "Value" FROM messages WHERE "Id" = {message.Id}""").SingleAsync();
        Assert.Equal("lz4", method);
        await using var check = await MigratedAsync(db.Database.GetConnectionString()!);
        Assert.Equal(json, (await check.Set<MessageBody>().AsNoTracking().SingleAsync(b => b.Id == message.Id)).FhirJson);
    }

    private static async Task<PostgresHubDbContext> MigratedAsync(string? connectionString = null)
    {
        if (connectionString is null)
        {
            var server = await SharedServers.PostgresAsync();
            connectionString = await server.CreateDatabaseAsync();
        }

        var db = new PostgresHubDbContext(new DbContextOptionsBuilder<PostgresHubDbContext>().UseNpgsql(connectionString).Options);
        await db.Database.MigrateAsync();
        return db;
    }
}
