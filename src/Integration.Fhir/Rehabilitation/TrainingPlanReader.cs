using Hl7.Fhir.Model;
using Integration.Fhir.Messaging;
using Integration.Fhir.Parsing;
using Integration.Fhir.Validation;
using Integration.Fhir.Validation.Rules;
using static Integration.Fhir.Messaging.MessageBundle;

namespace Integration.Fhir.Rehabilitation;

/// <summary>Reads the hub's training-plan message. It applies the validator's built-in rules first, so a plan it reads is
/// one the hub accepts, and its errors are the same issues (rule, path, MedCom code) the acknowledgement names.</summary>
internal sealed class TrainingPlanReader(SafeFhirDeserializer deserializer) : ITrainingPlanReader
{
    public TrainingPlanResult Read(string fhirJson)
    {
        ArgumentNullException.ThrowIfNull(fhirJson);
        return TypedMessageLoader.Guarded(() => ReadCore(fhirJson), Failed);
    }

    private TrainingPlanResult ReadCore(string fhirJson)
    {
        if (TypedMessageLoader.TryLoad(deserializer, fhirJson, MedComCodeLists.TrainingPlanEvent, "a training plan", out var bundle, out var header) is { } notLoaded)
        {
            return Failed(notLoaded);
        }

        var message = new MessageContext(bundle, header);
        if (RequestFacts.Errors(message) is { Count: > 0 } errors)
        {
            return new TrainingPlanResult(null, errors);
        }

        var facts = RequestFacts.Read(message);
        var request = facts.Request;
        var discharge = FindExtension(request.Extension, RehabilitationCodes.DischargeDateExtension)?.Value as Date;
        if (!RequestMessage.TryReadDate(discharge, out var dischargeDate))
        {
            throw new InvalidOperationException("The discharge date checked by the built-in rules could not be read.");
        }

        DateTimeOffset? firstContact = TryReadZoned((request.Occurrence as Period)?.StartElement, out var start) ? start : null;
        var plan = new TrainingPlan
        {
            MessageHeaderId = facts.MessageHeaderId,
            Action = facts.Action,
            PlanIdentifier = facts.Identifier,
            PlanIdentifierSystem = facts.IdentifierSystem,
            PreviousMessageHeaderId = facts.PreviousMessageHeaderId,
            SentAt = facts.SentAt,
            AuthoredOn = facts.AuthoredOn,
            Level = Level(request),
            DischargeDate = dischargeDate,
            FirstContactOffered = firstContact,
            FocusCondition = facts.Reason,
            FunctionAssessment = RequestMessage.NoteText(request)!,
            Goals = Goals(message, request),
            Requester = facts.Requester,
            CitizenCpr = facts.CitizenCpr,
            ResidenceMunicipalityCode = facts.ResidenceMunicipalityCode,
            GeneralPractitionerSor = facts.GeneralPractitionerSor,
            StatusReason = facts.StatusReason,
            StatusReasonText = facts.StatusReasonText,
        };
        return new TrainingPlanResult(plan, []);
    }

    private static TrainingPlanLevel Level(ServiceRequest request) =>
        request.Category.SelectMany(c => c.Coding)
            .Where(c => string.Equals(c.System, RehabilitationCodes.LevelSystem, StringComparison.Ordinal))
            .Select(c => RehabilitationCodes.Levels[c.Code!])
            .First();

    private static List<CitizenGoal> Goals(MessageContext message, ServiceRequest request) =>
        [.. request.SupportingInfo
            .Select(reference => message.Resolve<Goal>(reference).Resource!)
            .Select(goal => new CitizenGoal(TrainingPlanRules.GoalText(goal)!, DueDate(goal)))];

    private static DateOnly? DueDate(Goal goal) =>
        goal.Target.Select(t => t.Due as Date).FirstOrDefault(d => d is not null) is { } due && RequestMessage.TryReadDate(due, out var date)
            ? date
            : null;

    private static TrainingPlanResult Failed(MedComIssue issue) => new(null, [issue]);
}
