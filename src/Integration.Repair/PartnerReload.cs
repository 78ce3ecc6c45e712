using Integration.Access;
using Integration.Municipal;
using Integration.Partners;
using Integration.Persistence;
using Integration.Privacy;
using Microsoft.EntityFrameworkCore;

namespace Integration.Repair;

/// <summary>The answer to a reload of the partner file.</summary>
/// <param name="ConnectedMunicipalities">Municipalities new to the hub whose queues were connected by this reload.</param>
public sealed record PartnerReloadResult(IReadOnlyList<string> Added, IReadOnlyList<string> Removed, IReadOnlyList<string> Changed, int Partners,
    IReadOnlyList<string> ConnectedMunicipalities);

/// <summary>
/// An operator has the partner file read again (after adding a receiver, say) without restarting the hub. Audited; a
/// file that does not load changes nothing and is reported.
/// </summary>
public sealed class PartnerReload(IDbContextFactory<HubDbContext> dbFactory, IPartnerRegistry registry, MunicipalQueues queues, AuditLog audit)
{
    public enum Outcome { Done, NotReloadable, Invalid }

    public async Task<(Outcome Outcome, PartnerReloadResult? Result, string? Problem)> ReloadAsync(Actor actor, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (registry is not PartnerFileRegistry file)
        {
            return (Outcome.NotReloadable, null, "the partner registry is not read from a file");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var masked = reason is null ? null : Cpr.MaskInText(reason);
        PartnerChanges changes;
        try
        {
            changes = file.Reload();
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            audit.Add(db, actor, AuditActions.ReloadPartners, "partners", masked, $"refused, registry unchanged: {ex.Message}", null);
            await db.SaveChangesAsync(cancellationToken);
            return (Outcome.Invalid, null, ex.Message);
        }

        var connected = await queues.ConnectNewAsync(cancellationToken);
        audit.Add(db, actor, AuditActions.ReloadPartners, "partners", masked,
            (changes.Any ? $"added {List(changes.Added)}; removed {List(changes.Removed)}; changed {List(changes.Changed)}" : "no changes")
            + (connected.Count == 0 ? "" : $"; queues connected for municipalities {List(connected)}"), null);
        await db.SaveChangesAsync(cancellationToken);
        return (Outcome.Done, new PartnerReloadResult(changes.Added, changes.Removed, changes.Changed, file.All.Count, connected), null);
    }

    private static string List(IReadOnlyList<string> ids) => ids.Count == 0 ? "none" : string.Join(", ", ids);
}
