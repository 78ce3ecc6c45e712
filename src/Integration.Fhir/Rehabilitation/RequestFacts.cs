using Hl7.Fhir.Model;
using Integration.Fhir.Messaging;
using Integration.Fhir.Validation;
using Integration.Fhir.Validation.Rules;
using static Integration.Fhir.Messaging.MessageBundle;

namespace Integration.Fhir.Rehabilitation;

/// <summary>What a training plan and a referral share, read from a message that passed the built-in rules.</summary>
internal sealed record RequestFacts(
    string MessageHeaderId,
    ServiceRequest Request,
    RehabilitationRequestAction Action,
    string Identifier,
    string? IdentifierSystem,
    string? PreviousMessageHeaderId,
    DateTimeOffset SentAt,
    DateTimeOffset AuthoredOn,
    OrganizationIdentity Requester,
    string CitizenCpr,
    string? ResidenceMunicipalityCode,
    string? GeneralPractitionerSor,
    DiagnosisCode Reason,
    RehabilitationStatusReason? StatusReason,
    string? StatusReasonText)
{
    /// <summary>The built-in rules' errors (envelope, organisations, CPR, timestamps and the type's own rules) as MedCom
    /// issues: a reader gives values only for a message the validator would accept.</summary>
    public static IReadOnlyList<MedComIssue> Errors(MessageContext message)
    {
        var issues = new IssueList();
        BuiltInRules.Check(message, issues);
        return [.. issues.Items
            .Where(i => i.Severity == ValidationSeverity.Error)
            .Select(i => new MedComIssue(i.MedComCode, i.Text, i.Path, i.Rule))];
    }

    /// <summary>Reads the shared values. Only for a message without <see cref="Errors"/>: what those rules guarantee is
    /// taken for granted, and a broken guarantee throws (the reader turns it into an issue).</summary>
    public static RequestFacts Read(MessageContext message)
    {
        var (request, _) = RequestMessage.Focused(message) ?? throw Broken("focused ServiceRequest");
        var activity = RequestMessage.Activity(message) ?? throw Broken("activity");
        if (!TryReadZoned(activity.Provenance.Occurred as FhirDateTime, out var sentAt)
            || !TryReadZoned(request.AuthoredOnElement, out var authoredOn))
        {
            throw Broken("timestamps");
        }

        var patient = message.Resolve<Patient>(request.Subject).Resource ?? throw Broken("Patient");
        var (reason, reasonText) = RequestMessage.StatusReason(request);
        return new RequestFacts(
            MessageHeaderId: message.Header.Id!,
            Request: request,
            Action: activity.Action,
            Identifier: RequestMessage.Identifier(request) ?? throw Broken("identifier"),
            IdentifierSystem: string.IsNullOrWhiteSpace(request.Identifier[0].System) ? null : request.Identifier[0].System,
            PreviousMessageHeaderId: activity.Action == RehabilitationRequestAction.New ? null : RequestMessage.PreviousMessageHeaderId(activity.Provenance),
            SentAt: sentAt,
            AuthoredOn: authoredOn,
            Requester: Identity(message.Resolve<Organization>(request.Requester).Resource) ?? throw Broken("requester"),
            CitizenCpr: IdentifierValue(patient.Identifier, MedComUrls.CprSystem) ?? throw Broken("CPR"),
            ResidenceMunicipalityCode: ResidenceMunicipality(patient),
            GeneralPractitionerSor: GpClinicSor(message, patient),
            Reason: request.ReasonCode.Select(RequestMessage.Diagnosis).FirstOrDefault(d => d is not null) ?? throw Broken("reasonCode"),
            StatusReason: reason,
            StatusReasonText: reasonText);
    }

    private const string MunicipalityCodeExtension = "http://hl7.dk/fhir/core/StructureDefinition/dk-core-municipalityCodes";
    private const string MunicipalityCodeSystem = "urn:oid:1.2.208.100.1";

    /// <summary>The kommunekode of the citizen's address (DK core's municipalityCode extension on Patient.address), when given.</summary>
    private static string? ResidenceMunicipality(Patient patient) =>
        patient.Address
            .SelectMany(a => a.Extension.Where(e => e.Url == MunicipalityCodeExtension))
            .Select(e => e.Value as CodeableConcept)
            .SelectMany(c => c?.Coding ?? [])
            .FirstOrDefault(c => c.System == MunicipalityCodeSystem && !string.IsNullOrWhiteSpace(c.Code))?.Code;

    /// <summary>The SOR code of the citizen's GP clinic (Patient.generalPractitioner), when given: DK core's
    /// referencedSORUnit slice names it as a logical identifier; a reference to an Organization in the Bundle with a SOR
    /// identifier is read as well.</summary>
    private static string? GpClinicSor(MessageContext message, Patient patient) =>
        patient.GeneralPractitioner
            .Select(gp => gp.Identifier is { System: MedComUrls.SorSystem, Value: { } sor } && !string.IsNullOrWhiteSpace(sor)
                ? sor
                : IdentifierValue(message.Resolve<Organization>(gp).Resource?.Identifier ?? [], MedComUrls.SorSystem))
            .FirstOrDefault(sor => sor is not null);

    private static InvalidOperationException Broken(string what) =>
        new($"The {what} checked by the built-in rules could not be read.");
}
