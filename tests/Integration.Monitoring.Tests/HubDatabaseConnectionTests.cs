using Integration.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Integration.Monitoring.Tests;

/// <summary>
/// The connection settings the hub adds to a PostgreSQL connection string (prepared statements, no session reset on
/// return to the pool; docs/performance.md), and that an operator's own setting in the string wins.
/// </summary>
public sealed class HubDatabaseConnectionTests
{
    [Fact]
    public void GivenAPlainConnectionString_WhenTheHubOpensItsContexts_ThenStatementsArePreparedAndPooledConnectionsAreNotReset()
    {
        var used = ConnectionStringOfAHubContext("Host=db.example;Username=hub;Database=hub");

        Assert.Equal((100, 2, true), (used.MaxAutoPrepare, used.AutoPrepareMinUsages, used.NoResetOnClose));
        Assert.Equal(("db.example", "hub"), (used.Host, used.Database));
    }

    [Fact]
    public void GivenAConnectionStringThatChoosesItself_WhenTheHubOpensItsContexts_ThenItsChoicesAreKept()
    {
        var used = ConnectionStringOfAHubContext("Host=db.example;Username=hub;Database=hub;Max Auto Prepare=0;No Reset On Close=false");

        Assert.Equal((0, false), (used.MaxAutoPrepare, used.NoResetOnClose));
    }

    private static NpgsqlConnectionStringBuilder ConnectionStringOfAHubContext(string configured)
    {
        var services = new ServiceCollection();
        services.AddHubDatabase(new PersistenceOptions { Provider = DatabaseProvider.Postgres, ConnectionString = configured });
        using var provider = services.BuildServiceProvider();
        using var db = provider.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContext();
        return new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());
    }
}
