using Integration.Municipal.Episodes;
using Integration.Rehabilitation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integration.Api.Episodes;

/// <summary>
/// What municipal staff do with a rehabilitation episode. Each action applies one of the episode's rules; a rule that
/// refuses answers 409 naming it. Status changes the hospital or GP cares about go back to them as episode-status
/// messages. Restricting a signed-in user to their municipality comes with sign-in (issue 5).
/// </summary>
public static class EpisodeEndpoints
{
    public sealed record PlanStartBody(DateOnly PlannedStart, string? PostponementReason, CourseLength? Length);
    public sealed record NoteBody(string Note, bool ExtendToTwelveWeeks = false);
    public sealed record GoalBody(string Text);
    public sealed record GoalEvaluationBody(GoalStatus Status, string Note);
    public sealed record EffortBody(string Description, LegalBasis LegalBasis);
    public sealed record RevisitationBody(RevisitationOutcome Outcome, string? Note);
    public sealed record ReasonBody(string Reason);

    public static IEndpointRouteBuilder MapEpisodes(this IEndpointRouteBuilder endpoints)
    {
        var episodes = endpoints.MapGroup("/api/municipalities/{code}/episodes/{id:guid}");
        episodes.MapPost("/plan-start", (string code, Guid id, PlanStartBody body, EpisodeActions actions, CancellationToken ct) =>
            Apply(actions, code, id, (e, at) => e.PlanStart(body.PlannedStart, at, body.PostponementReason, body.Length ?? CourseLength.TwelveWeeks), ct));
        episodes.MapPost("/start", (string code, Guid id, EpisodeActions actions, CancellationToken ct) =>
            Apply(actions, code, id, (e, at) => e.Start(at), ct));
        episodes.MapPost("/evaluations", (string code, Guid id, NoteBody body, EpisodeActions actions, CancellationToken ct) =>
            Apply(actions, code, id, (e, at) => e.Evaluate(at, body.Note, body.ExtendToTwelveWeeks), ct));
        episodes.MapPost("/goals", (string code, Guid id, GoalBody body, EpisodeActions actions, CancellationToken ct) =>
            Apply(actions, code, id, (e, at) => e.DefineGoal(body.Text, at), ct));
        episodes.MapPost("/goals/{number:int}/evaluation", (string code, Guid id, int number, GoalEvaluationBody body, EpisodeActions actions, CancellationToken ct) =>
            Apply(actions, code, id, (e, at) => e.EvaluateGoal(number, body.Status, body.Note, at), ct));
        episodes.MapPost("/goals/{number:int}/redefinition", (string code, Guid id, int number, GoalBody body, EpisodeActions actions, CancellationToken ct) =>
            Apply(actions, code, id, (e, at) => e.RedefineGoal(number, body.Text, at), ct));
        episodes.MapPost("/efforts", (string code, Guid id, EffortBody body, EpisodeActions actions, CancellationToken ct) =>
            Apply(actions, code, id, (e, at) => e.AddEffort(body.Description, body.LegalBasis, at), ct));
        episodes.MapPost("/revisitation", (string code, Guid id, RevisitationBody body, EpisodeActions actions, CancellationToken ct) =>
            Apply(actions, code, id, (e, at) => e.RecordRevisitation(at, body.Outcome, body.Note), ct));
        episodes.MapPost("/complete", (string code, Guid id, EpisodeActions actions, CancellationToken ct) =>
            Apply(actions, code, id, (e, at) => e.Complete(at), ct));
        episodes.MapPost("/cancel", (string code, Guid id, ReasonBody body, EpisodeActions actions, CancellationToken ct) =>
            Apply(actions, code, id, (e, at) => e.Cancel(at, body.Reason), ct));
        return endpoints;
    }

    private static async Task<IResult> Apply(
        EpisodeActions actions, string code, Guid id, Action<RehabilitationEpisode, DateTimeOffset> action, CancellationToken cancellationToken)
    {
        var (result, rule, episode) = await actions.ApplyAsync(id, code, action, cancellationToken);
        return result switch
        {
            EpisodeActionResult.Done => Results.Ok(episode),
            EpisodeActionResult.NotFound => Results.NotFound(),
            _ => Results.Conflict(new { rule }),
        };
    }
}
