namespace Integration.Persistence;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>Bound from the "Database" configuration section.</summary>
public sealed class PersistenceOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>An ADO.NET connection string for the provider. Default: a SQLite file under ./data.</summary>
    public string ConnectionString { get; set; } = "Data Source=data/hub.db";
}
