using System.Globalization;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Integration.MigrationsScaffolder;

/// <summary>
/// Gives the migration the same id (timestamp) for every provider, so that the Postgres and SQLite halves of one
/// change sort and read as a pair. EF's own generator takes the clock for each call. The id format is EF's:
/// <c>yyyyMMddHHmmss_Name</c>; parsing stays with EF's generator.
/// </summary>
internal sealed class SharedTimestampIdGenerator(IMigrationsIdGenerator inner, DateTime utcTimestamp) : IMigrationsIdGenerator
{
    public string GenerateId(string name) =>
        utcTimestamp.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "_" + name;

    public string GetName(string id) => inner.GetName(id);

    public bool IsValidId(string value) => inner.IsValidId(value);
}
