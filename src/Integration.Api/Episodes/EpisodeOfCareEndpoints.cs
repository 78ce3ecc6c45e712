using System.Security.Claims;
using Integration.Access;
using Integration.Fhir;
using Integration.Persistence;
using Integration.Persistence.Episodes;
using Integration.Privacy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Integration.Api.Episodes;

/// <summary>
/// The FHIR read API for rehabilitation episodes. A municipal system calls it with its API key (header <c>X-Api-Key</c>),
/// a municipal user with the dashboard's sign-in; either sees only its own municipality's episodes: another
/// municipality's episode is not found, not forbidden, so its existence does not leak. Operators see every municipality.
/// It answers 401 itself, as a FHIR OperationOutcome, rather than through the authorization middleware.
/// </summary>
public static class EpisodeOfCareEndpoints
{
    private const string FhirJson = "application/fhir+json";
    private const string CprSystem = "urn:oid:1.2.208.176.1.2";

    public static IEndpointRouteBuilder MapEpisodeOfCare(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/fhir/EpisodeOfCare/{id:guid}", ReadAsync);
        endpoints.MapGet("/fhir/EpisodeOfCare", SearchAsync);
        return endpoints;
    }

    private static async Task<IResult> ReadAsync(
        Guid id, ClaimsPrincipal user, HubDbContext db, IEpisodeOfCareWriter writer, IOperationOutcomeWriter outcomes,
        CancellationToken cancellationToken)
    {
        if (!MayRead(user))
        {
            return Unauthorized(outcomes);
        }

        var scope = user.MunicipalityScope();
        var episode = await db.Episodes.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id && (scope == null || e.MunicipalityCode == scope), cancellationToken);
        return episode is null
            ? Results.Content(outcomes.Write("error", "not-found", $"EpisodeOfCare/{id} is not known to {scope ?? "the hub"}."), FhirJson, statusCode: 404)
            : Results.Content(writer.Write(View(episode)), FhirJson);
    }

    /// <param name="patientIdentifier">FHIR token: <c>urn:oid:1.2.208.176.1.2|{cpr}</c> or the CPR alone.</param>
    private static async Task<IResult> SearchAsync(
        HttpRequest request, ClaimsPrincipal user, CitizenKeys citizenKeys, HubDbContext db, IEpisodeOfCareWriter writer,
        IOperationOutcomeWriter outcomes, CancellationToken cancellationToken)
    {
        if (!MayRead(user))
        {
            return Unauthorized(outcomes);
        }

        var scope = user.MunicipalityScope();
        var token = request.Query["patient.identifier"].ToString();
        var cpr = token.StartsWith(CprSystem + "|", StringComparison.Ordinal) ? token[(CprSystem.Length + 1)..] : token;
        if (!Cpr.IsWellFormed(cpr))
        {
            return Results.Content(outcomes.Write("error", "invalid", $"patient.identifier must be a CPR number ({CprSystem}|dddddddddd)."), FhirJson, statusCode: 400);
        }

        var key = citizenKeys.For(cpr);
        var episodes = await db.Episodes.AsNoTracking()
            .Where(e => (scope == null || e.MunicipalityCode == scope) && e.CitizenKey == key)
            .OrderByDescending(e => e.ReceivedAt)
            .ToListAsync(cancellationToken);
        var self = new Uri($"{request.Scheme}://{request.Host}/fhir/EpisodeOfCare?patient.identifier={CprSystem}|{Cpr.Mask(cpr)}");
        return Results.Content(writer.WriteSearchSet([.. episodes.Select(View)], self), FhirJson);
    }

    /// <summary>Municipal systems and users, and operators; an auditor reads the flow, not citizens' episodes.</summary>
    private static bool MayRead(ClaimsPrincipal user) => user.IsInRole(HubRoles.Municipal) || user.IsInRole(HubRoles.Operator);

    private static IResult Unauthorized(IOperationOutcomeWriter outcomes) =>
        Results.Content(outcomes.Write("error", "security", "A municipal system's API key (header X-Api-Key) or a municipal user's sign-in is required."), FhirJson, statusCode: 401);

    private static EpisodeOfCareView View(EpisodeRecord e) => new()
    {
        Id = e.Id,
        State = e.State,
        CitizenCpr = e.CitizenCpr,
        MunicipalityCode = e.MunicipalityCode,
        ResponsibleUnit = e.ResponsibleUnit,
        SourceIdentifier = e.SourceIdentifier,
        Kind = e.Level is { } level ? $"{e.Source} {level}" : $"{e.Source} {e.Programme}",
        StartedAt = e.StartedAt,
        EndedAt = e.EndedAt,
        ReceivedAt = e.ReceivedAt,
    };
}
