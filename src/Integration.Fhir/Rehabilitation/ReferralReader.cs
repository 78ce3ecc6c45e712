using Integration.Fhir.Messaging;
using Integration.Fhir.Parsing;
using Integration.Fhir.Validation;
using Integration.Fhir.Validation.Rules;

namespace Integration.Fhir.Rehabilitation;

/// <summary>Reads the hub's referral message; like <see cref="TrainingPlanReader"/>, only after the built-in rules pass.</summary>
internal sealed class ReferralReader(SafeFhirDeserializer deserializer) : IReferralReader
{
    public ReferralResult Read(string fhirJson)
    {
        ArgumentNullException.ThrowIfNull(fhirJson);
        return TypedMessageLoader.Guarded(() => ReadCore(fhirJson), Failed);
    }

    private ReferralResult ReadCore(string fhirJson)
    {
        if (TypedMessageLoader.TryLoad(deserializer, fhirJson, MedComCodeLists.ReferralEvent, "a referral", out var bundle, out var header) is { } notLoaded)
        {
            return Failed(notLoaded);
        }

        var message = new MessageContext(bundle, header);
        if (RequestFacts.Errors(message) is { Count: > 0 } errors)
        {
            return new ReferralResult(null, errors);
        }

        var facts = RequestFacts.Read(message);
        var programme = facts.Request.Category.SelectMany(c => c.Coding)
            .Where(c => string.Equals(c.System, RehabilitationCodes.ProgrammeSystem, StringComparison.Ordinal))
            .Select(c => RehabilitationCodes.Programmes[c.Code!])
            .First();
        var referral = new Referral
        {
            MessageHeaderId = facts.MessageHeaderId,
            Action = facts.Action,
            ReferralIdentifier = facts.Identifier,
            ReferralIdentifierSystem = facts.IdentifierSystem,
            PreviousMessageHeaderId = facts.PreviousMessageHeaderId,
            SentAt = facts.SentAt,
            AuthoredOn = facts.AuthoredOn,
            Programme = programme,
            Reason = facts.Reason,
            Note = RequestMessage.NoteText(facts.Request),
            Requester = facts.Requester,
            CitizenCpr = facts.CitizenCpr,
            ResidenceMunicipalityCode = facts.ResidenceMunicipalityCode,
            GeneralPractitionerSor = facts.GeneralPractitionerSor,
            StatusReason = facts.StatusReason,
            StatusReasonText = facts.StatusReasonText,
        };
        return new ReferralResult(referral, []);
    }

    private static ReferralResult Failed(MedComIssue issue) => new(null, [issue]);
}
