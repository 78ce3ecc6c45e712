using Hl7.Fhir.Model;
using Integration.Fhir.Rehabilitation;
using static Integration.Fhir.Messaging.MessageBundle;

namespace Integration.Fhir.Validation.Rules;

/// <summary>The hub's training-plan message (contracts/profiles/training-plan.md): a ServiceRequest with intent plan, shaped
/// like KL Gateway Rehab's §140 request, with the level, the discharge date, the first contact offered, the hospital's
/// assessment of function and the citizen's goals.</summary>
internal static class TrainingPlanRules
{
    private const string TypeName = "training plan";

    public static readonly HubRule Level = new("hub-tp-level", MedComIssueCodes.CodeSystemValueUnknown,
        "ServiceRequest.category holds one level of the training-plan-level code system: almen-basal, almen-avanceret, "
        + "specialiseret or rehabilitering-specialiseret.");
    public static readonly HubRule DischargeDate = new("hub-tp-discharge-date", "MSG_BAD_FORMAT",
        "The discharge-date extension is present once, with a valueDate that is a full date.");
    public static readonly HubRule FirstContact = new("hub-tp-first-contact", "MSG_DATE_FORMAT",
        "ServiceRequest.occurrence, when present, is a Period whose start (the first contact offered) has a date, time and time zone.");
    public static readonly HubRule FunctionAssessment = new("hub-tp-function-assessment", "MSG_BAD_FORMAT",
        "ServiceRequest.note holds the hospital's assessment of the citizen's function (at least one note with text).");
    public static readonly HubRule Goal = new("hub-tp-goal", "MSG_BAD_FORMAT",
        "Every ServiceRequest.supportingInfo references a Goal in the Bundle with a description text (the citizen's goals).");

    public static IReadOnlyList<HubRule> All { get; } = [Level, DischargeDate, FirstContact, FunctionAssessment, Goal];

    public static void Check(MessageContext message, IssueList issues)
    {
        if (RehabilitationRequestRules.Check(message, RequestIntent.Plan, TypeName, issues) is not var (request, path))
        {
            return;
        }

        RehabilitationRequestRules.CheckCategory(request, path, RehabilitationCodes.LevelSystem, RehabilitationCodes.Levels.ContainsKey, Level, "level", issues);
        CheckDischargeDate(request, path, issues);
        CheckFirstContact(request, path, issues);
        if (RequestMessage.NoteText(request) is null)
        {
            issues.Error(FunctionAssessment, path + ".note",
                "ServiceRequest.note with the hospital's assessment of the citizen's function is missing.");
        }

        CheckGoals(message, request, path, issues);
    }

    private static void CheckDischargeDate(ServiceRequest request, string path, IssueList issues)
    {
        var extensions = request.Extension
            .Select((extension, index) => (extension, index))
            .Where(e => string.Equals(e.extension.Url, RehabilitationCodes.DischargeDateExtension, StringComparison.Ordinal))
            .ToList();
        if (extensions.Count != 1)
        {
            issues.Error(DischargeDate, path + ".extension", extensions.Count == 0
                ? "The discharge-date extension is missing."
                : "The discharge-date extension is given more than once.");
            return;
        }

        var (extension, index) = extensions[0];
        var valuePath = Invariant($"{path}.extension[{index}].value");
        if (extension.Value is not Date date)
        {
            issues.Error(DischargeDate, MedComIssueCodes.DatatypeWrong, valuePath, "The discharge date is a valueDate.");
        }
        else if (!RequestMessage.TryReadDate(date, out _))
        {
            issues.Error(DischargeDate, "MSG_DATE_FORMAT", valuePath, "The discharge date is a full date (YYYY-MM-DD).");
        }
    }

    private static void CheckFirstContact(ServiceRequest request, string path, IssueList issues)
    {
        switch (request.Occurrence)
        {
            case null:
                break;
            case Period { StartElement.Value: null }:
                issues.Error(FirstContact, "MSG_BAD_FORMAT", path + ".occurrence.start", "occurrencePeriod has no start (the first contact offered).");
                break;
            case Period { StartElement.Value: { } start } when !start.Contains('T', StringComparison.Ordinal):
                issues.Error(FirstContact, path + ".occurrence.start", "The first contact offered has a date but no time and time zone.");
                break;
            case Period:
                break;
            default:
                issues.Error(FirstContact, MedComIssueCodes.DatatypeWrong, path + ".occurrence",
                    "ServiceRequest.occurrence of a training plan is a Period (occurrencePeriod).");
                break;
        }
    }

    private static void CheckGoals(MessageContext message, ServiceRequest request, string path, IssueList issues)
    {
        for (var i = 0; i < request.SupportingInfo.Count; i++)
        {
            var (goal, goalPath) = message.Resolve<Hl7.Fhir.Model.Goal>(request.SupportingInfo[i]);
            if (goal is null)
            {
                issues.Error(Goal, Invariant($"{path}.supportingInfo[{i}]"), "ServiceRequest.supportingInfo must reference a Goal in the Bundle.");
            }
            else if (GoalText(goal) is null)
            {
                issues.Error(Goal, goalPath + ".description", "The Goal has no description text.");
            }
        }
    }

    /// <summary>Goal.description's text, else its first coding's display.</summary>
    public static string? GoalText(Hl7.Fhir.Model.Goal goal)
    {
        var text = goal.Description?.Text;
        if (string.IsNullOrWhiteSpace(text))
        {
            text = goal.Description?.Coding.Select(c => c.Display).FirstOrDefault(d => !string.IsNullOrWhiteSpace(d));
        }

        return string.IsNullOrWhiteSpace(text) ? null : text;
    }
}
