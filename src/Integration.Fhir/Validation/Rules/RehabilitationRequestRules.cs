using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using Integration.Fhir.Messaging;
using Integration.Fhir.Rehabilitation;
using static Integration.Fhir.Messaging.MessageBundle;

namespace Integration.Fhir.Validation.Rules;

/// <summary>What the hub's training-plan and referral messages share (contracts/profiles): one ServiceRequest that
/// MessageHeader.focus references, about the message's one Patient (with a CPR number), with the plan or referral
/// identifier, status, intent, author time, requesting Organization, diagnosis and status reason; and MedCom's RE_/AN_
/// rule: a revision or cancellation names the identifier it replaces or cancels.</summary>
internal static class RehabilitationRequestRules
{
    private const string BadFormat = "MSG_BAD_FORMAT";
    private const string DateFormat = "MSG_DATE_FORMAT";

    public static readonly HubRule ServiceRequestRequired = new("hub-rehab-service-request", "MSG_RESOURCE_REQUIRED",
        "A training plan or referral has exactly one ServiceRequest and MessageHeader.focus references it.");
    public static readonly HubRule Identifier = new("hub-rehab-identifier", BadFormat,
        "ServiceRequest.identifier is exactly one identifier with a value: the plan or referral, the same in its revisions and cancellation.");
    public static readonly HubRule Status = new("hub-rehab-status", MedComIssueCodes.ValueSetValueUnknown,
        "ServiceRequest.status is active for a new or revised plan or referral, entered-in-error for a cancellation.");
    public static readonly HubRule Intent = new("hub-rehab-intent", MedComIssueCodes.ValueSetValueUnknown,
        "ServiceRequest.intent is plan for a training plan and order for a referral.");
    public static readonly HubRule Subject = new("hub-rehab-subject", BadFormat,
        "ServiceRequest.subject references the message's Patient, who is identified by a CPR number.");
    public static readonly HubRule AuthoredOn = new("hub-rehab-authored-on", BadFormat,
        "ServiceRequest.authoredOn is present, with a date, time and time zone.");
    public static readonly HubRule Requester = new("hub-rehab-requester", BadFormat,
        "ServiceRequest.requester references an Organization in the Bundle that has a SOR identifier.");
    public static readonly HubRule Reason = new("hub-rehab-reason", BadFormat,
        "ServiceRequest.reasonCode has a diagnosis coded in SKS (urn:oid:1.2.208.176.2.4) or ICD-10 with a code and a display.");
    public static readonly HubRule StatusReason = new("hub-rehab-status-reason", MedComIssueCodes.CodeSystemValueUnknown,
        "The status-reason extension, when present, is one valueCodeableConcept with a code of the hub's status-reason code system.");
    public static readonly HubRule Revision = new("hub-rehab-revision", BadFormat,
        "A revision (RE_) or cancellation (AN_) names the plan or referral it replaces or cancels: its own Provenance has an "
        + "entity with role revision whose what.identifier.value is ServiceRequest.identifier.value.");

    public static IReadOnlyList<HubRule> All { get; } =
        [ServiceRequestRequired, Identifier, Status, Intent, Subject, AuthoredOn, Requester, Reason, StatusReason, Revision];

    /// <summary>Checks the shared part. Returns the ServiceRequest (and its path) for the type's own rules, or null when the
    /// message has none to check (reported).</summary>
    /// <param name="typeName">how texts name the message type, e.g. "training plan"</param>
    public static (ServiceRequest Request, string Path)? Check(MessageContext message, RequestIntent intent, string typeName, IssueList issues)
    {
        var patientPath = CheckPatient(message, typeName, issues);
        var count = message.All<ServiceRequest>().Count();
        if (count != 1)
        {
            issues.Error(ServiceRequestRequired, count == 0 ? ServiceRequestRequired.MedComCode : "MSG_RESOURCE_NOT_ALLOWED",
                "Bundle.entry", Invariant($"A {typeName} has exactly one ServiceRequest; this one has {count}."));
        }

        if (RequestMessage.Focused(message) is not { } focused)
        {
            issues.Error(ServiceRequestRequired, MessageContext.HeaderPath + ".focus",
                "MessageHeader.focus must reference the ServiceRequest in the Bundle.");
            return null;
        }

        var (request, path) = focused;
        var activity = RequestMessage.Activity(message);
        CheckIdentifier(request, path, typeName, issues);
        CheckStatus(request, path, activity?.Action, issues);
        CheckIntent(request, path, intent, typeName, issues);
        CheckSubject(message, request, path, patientPath, issues);
        CheckAuthoredOn(request, path, issues);
        CheckRequester(message, request, path, issues);
        CheckReason(request, path, issues);
        CheckStatusReason(request, path, issues);
        if (activity is { Action: not RehabilitationRequestAction.New })
        {
            CheckRevision(request, activity, typeName, issues);
        }

        return focused;
    }

    /// <summary>ServiceRequest.category: exactly one coding in <paramref name="system"/>, with a known code.</summary>
    /// <param name="what">what the category says, e.g. "level"</param>
    public static void CheckCategory(ServiceRequest request, string path, string system, Func<string, bool> isKnown, HubRule rule,
        string what, IssueList issues)
    {
        var matches = request.Category
            .SelectMany((concept, i) => concept.Coding.Select((coding, j) => (coding, i, j)))
            .Where(m => string.Equals(m.coding.System, system, StringComparison.Ordinal))
            .ToList();
        if (matches.Count == 0)
        {
            if (request.Category.Count == 0)
            {
                issues.Error(rule, BadFormat, path + ".category", $"ServiceRequest.category (the {what}) is missing.");
            }
            else
            {
                issues.Error(rule, MedComIssueCodes.ValueSetValueUnknown, path + ".category",
                    $"ServiceRequest.category has no {what} coded in {system}.");
            }

            return;
        }

        if (matches.Count > 1)
        {
            issues.Error(rule, BadFormat, path + ".category", $"ServiceRequest.category has more than one {what}.");
        }

        foreach (var (coding, i, j) in matches)
        {
            if (coding.Code is null || !isKnown(coding.Code))
            {
                issues.Error(rule, Invariant($"{path}.category[{i}].coding[{j}].code"), $"The {what} is not a code of {system}.");
            }
        }
    }

    /// <returns>The path of the one Patient, or null.</returns>
    private static string? CheckPatient(MessageContext message, string typeName, IssueList issues)
    {
        var patients = message.All<Patient>().ToList();
        if (patients.Count != 1)
        {
            issues.Error(HubRules.PatientRequired, patients.Count == 0 ? HubRules.PatientRequired.MedComCode : "MSG_RESOURCE_NOT_ALLOWED",
                "Bundle.entry", Invariant($"A {typeName} has exactly one Patient; this one has {patients.Count}."));
            return null;
        }

        var (patient, path) = patients[0];
        if (IdentifierValue(patient.Identifier, MedComUrls.CprSystem) is null)
        {
            issues.Error(HubRules.PatientCpr, path + ".identifier",
                $"The Patient of a {typeName} is identified by a CPR number (system {MedComUrls.CprSystem}).");
        }

        return path;
    }

    private static void CheckIdentifier(ServiceRequest request, string path, string typeName, IssueList issues)
    {
        if (RequestMessage.Identifier(request) is null)
        {
            issues.Error(Identifier, path + ".identifier", Invariant(
                $"ServiceRequest.identifier must be exactly one identifier with a value (the {typeName}); this one has {request.Identifier.Count}."));
        }
    }

    private static void CheckStatus(ServiceRequest request, string path, RehabilitationRequestAction? action, IssueList issues)
    {
        if (request.Status is not { } status)
        {
            issues.Error(Status, BadFormat, path + ".status", "ServiceRequest.status is missing.");
            return;
        }

        switch (action)
        {
            case RehabilitationRequestAction.Cancel when status != RequestStatus.EnteredInError:
                issues.Error(Status, path + ".status", "A cancellation (AN_) has ServiceRequest.status entered-in-error.");
                break;
            case RehabilitationRequestAction.New or RehabilitationRequestAction.Revise when status != RequestStatus.Active:
                issues.Error(Status, path + ".status", "A new or revised plan or referral has ServiceRequest.status active.");
                break;
        }
    }

    private static void CheckIntent(ServiceRequest request, string path, RequestIntent intent, string typeName, IssueList issues)
    {
        if (request.Intent is not { } actual)
        {
            issues.Error(Intent, BadFormat, path + ".intent", "ServiceRequest.intent is missing.");
        }
        else if (actual != intent)
        {
            issues.Error(Intent, path + ".intent", $"ServiceRequest.intent of a {typeName} is {intent.GetLiteral()}.");
        }
    }

    private static void CheckSubject(MessageContext message, ServiceRequest request, string path, string? patientPath, IssueList issues)
    {
        var (_, subjectPath) = message.Resolve<Patient>(request.Subject);
        if (subjectPath is null || (patientPath is not null && subjectPath != patientPath))
        {
            issues.Error(Subject, path + ".subject", "ServiceRequest.subject must reference the Patient in the Bundle.");
        }
    }

    private static void CheckAuthoredOn(ServiceRequest request, string path, IssueList issues)
    {
        // A time without a zone is hub-timestamp-zone's; here only what is missing.
        if (request.AuthoredOnElement?.Value is not { } authoredOn)
        {
            issues.Error(AuthoredOn, path + ".authoredOn", "ServiceRequest.authoredOn is missing.");
        }
        else if (!authoredOn.Contains('T', StringComparison.Ordinal))
        {
            issues.Error(AuthoredOn, DateFormat, path + ".authoredOn", "ServiceRequest.authoredOn has a date but no time and time zone.");
        }
    }

    private static void CheckRequester(MessageContext message, ServiceRequest request, string path, IssueList issues)
    {
        if (request.Requester is null)
        {
            issues.Error(Requester, path + ".requester", "ServiceRequest.requester is missing.");
            return;
        }

        var (organization, organizationPath) = message.Resolve<Organization>(request.Requester);
        if (organization is null)
        {
            issues.Error(Requester, path + ".requester", "ServiceRequest.requester must reference an Organization in the Bundle.");
        }
        else if (IdentifierValue(organization.Identifier, MedComUrls.SorSystem) is null)
        {
            issues.Error(Requester, organizationPath + ".identifier",
                $"The requester Organization has no SOR identifier (system {MedComUrls.SorSystem}).");
        }
    }

    private static void CheckReason(ServiceRequest request, string path, IssueList issues)
    {
        if (request.ReasonCode.Count == 0)
        {
            issues.Error(Reason, path + ".reasonCode", "ServiceRequest.reasonCode (the diagnosis) is missing.");
        }
        else if (!request.ReasonCode.Any(c => RequestMessage.Diagnosis(c) is not null))
        {
            var coded = request.ReasonCode.Any(c => c.Coding.Any(coding => RehabilitationCodes.IsDiagnosisSystem(coding.System)));
            issues.Error(Reason, coded ? BadFormat : MedComIssueCodes.ValueSetValueUnknown, path + ".reasonCode", coded
                ? "The SKS or ICD-10 coding of ServiceRequest.reasonCode needs a code and a display."
                : $"ServiceRequest.reasonCode has no coding in SKS ({RehabilitationCodes.SksSystem}) or ICD-10 ({RehabilitationCodes.Icd10System}).");
        }
    }

    private static void CheckStatusReason(ServiceRequest request, string path, IssueList issues)
    {
        var extensions = request.Extension
            .Select((extension, index) => (extension, index))
            .Where(e => string.Equals(e.extension.Url, RehabilitationCodes.StatusReasonExtension, StringComparison.Ordinal))
            .ToList();
        if (extensions.Count > 1)
        {
            issues.Error(StatusReason, BadFormat, path + ".extension", "ServiceRequest has more than one status-reason extension.");
        }

        foreach (var (extension, index) in extensions)
        {
            var valuePath = Invariant($"{path}.extension[{index}].value");
            if (extension.Value is not CodeableConcept concept)
            {
                issues.Error(StatusReason, MedComIssueCodes.DatatypeWrong, valuePath, "The status-reason extension holds a valueCodeableConcept.");
                continue;
            }

            var codingIndex = concept.Coding.FindIndex(c => string.Equals(c.System, RehabilitationCodes.StatusReasonSystem, StringComparison.Ordinal));
            if (codingIndex < 0)
            {
                issues.Error(StatusReason, MedComIssueCodes.ValueSetValueUnknown, valuePath + ".coding",
                    $"The status reason is not coded in {RehabilitationCodes.StatusReasonSystem}.");
            }
            else if (concept.Coding[codingIndex].Code is not { } code || !RehabilitationCodes.StatusReasons.ContainsKey(code))
            {
                issues.Error(StatusReason, Invariant($"{valuePath}.coding[{codingIndex}].code"),
                    $"The status reason is not a code of {RehabilitationCodes.StatusReasonSystem}.");
            }
        }
    }

    private static void CheckRevision(ServiceRequest request, OwnActivity activity, string typeName, IssueList issues)
    {
        var named = RequestMessage.RevisedIdentifiers(activity.Provenance).ToList();
        if (named.Count == 0)
        {
            issues.Error(Revision, activity.Path + ".entity",
                $"A revision or cancellation must name the {typeName} it replaces or cancels: a Provenance.entity with role "
                + "revision whose what.identifier.value is the identifier.");
            return;
        }

        if (RequestMessage.Identifier(request) is { } identifier && !named.Any(n => n.Identifier == identifier))
        {
            issues.Error(Revision, "MSG_NO_MATCH", Invariant($"{activity.Path}.entity[{named[0].Index}].what.identifier.value"),
                $"The {typeName} the revision entity names is not the one in ServiceRequest.identifier.");
        }
    }
}
