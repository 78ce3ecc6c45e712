using System.Text.Json;
using Integration.Partners;
using Integration.Persistence;
using Integration.Persistence.HomeCare;
using Integration.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace Integration.Municipal.HomeCare;

/// <summary>
/// Loads the embedded default's file of citizens known to home care into the table the handlers read. Real
/// deployments fill the table from the municipality's own systems and leave the file setting empty.
/// Only the keyed hash of the CPR is stored.
/// </summary>
internal sealed class HomeCareCitizenSeeder(IDbContextFactory<HubDbContext> dbFactory, CitizenKeys citizenKeys, MunicipalOptions options, TimeProvider clock)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.HomeCareCitizensFile))
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        foreach (var citizen in HomeCareCitizenFile.Load(options.HomeCareCitizensFile))
        {
            var key = citizenKeys.For(citizen.Cpr);
            var row = await db.HomeCareCitizens.FirstOrDefaultAsync(h => h.MunicipalityCode == citizen.MunicipalityCode && h.CitizenKey == key, cancellationToken);
            if (row is null)
            {
                row = new HomeCareCitizen { MunicipalityCode = citizen.MunicipalityCode, CitizenKey = key, AddedAt = clock.GetUtcNow() };
                db.HomeCareCitizens.Add(row);
            }

            // The file is the embedded default's municipal data: its services and contact replace what was seeded before.
            row.ServicesJson = citizen.Services.Count == 0 ? null : JsonSerializer.Serialize(citizen.Services, ServicesJson);
            row.ContactUnit = citizen.ContactUnit;
            row.ContactPhone = citizen.ContactPhone;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal static readonly JsonSerializerOptions ServicesJson = new(JsonSerializerDefaults.Web);
}
