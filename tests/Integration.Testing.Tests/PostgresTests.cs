using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace Integration.Testing.Tests;

/// <summary>The assembly-wide PostgreSQL server hands out separate, working databases.</summary>
public sealed class PostgresTests(ITestOutputHelper output) : IAsyncLifetime
{
    private PostgresServer _postgres = null!;

    public async Task InitializeAsync()
    {
        _postgres = await SharedServers.PostgresAsync();
        output.WriteLine($"{_postgres.Description}; started in {_postgres.StartupTime.TotalSeconds:0.0} s");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Two_created_databases_work_and_are_isolated()
    {
        var first = await _postgres.CreateDatabaseAsync();
        var second = await _postgres.CreateDatabaseAsync();
        Assert.NotEqual(first, second);

        await ExecuteAsync(first, "CREATE TABLE only_in_first (value text); INSERT INTO only_in_first VALUES ('one')");
        await ExecuteAsync(second, "CREATE TABLE only_in_second (value text); INSERT INTO only_in_second VALUES ('two')");

        Assert.Equal("one", await ScalarAsync(first, "SELECT value FROM only_in_first"));
        Assert.Equal("two", await ScalarAsync(second, "SELECT value FROM only_in_second"));
        Assert.Equal(new NpgsqlConnectionStringBuilder(first).Database, await ScalarAsync(first, "SELECT current_database()"));
        // Isolation: the first database's table does not exist in the second.
        Assert.Null(await ScalarAsync(second, "SELECT to_regclass('public.only_in_first')::text"));
    }

    [Fact]
    public async Task Unsafe_database_names_are_rejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _postgres.CreateDatabaseAsync("x\"; DROP DATABASE postgres; --"));
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var result = await command.ExecuteScalarAsync();
        return result is DBNull ? null : (string?)result;
    }
}
