using Hl7.Fhir.Model;
using Integration.Fhir.Rehabilitation;

namespace Integration.Fhir.Validation.Rules;

/// <summary>The hub's referral message (contracts/profiles/referral.md): a ServiceRequest with intent order from a GP (or a
/// hospital) to a municipality, for a chronic-disease programme, free physiotherapy, home nursing or rehabilitation.</summary>
internal static class ReferralRules
{
    public static readonly HubRule Programme = new("hub-ref-programme", MedComIssueCodes.CodeSystemValueUnknown,
        "ServiceRequest.category holds one programme of the referral-programme code system: diabetes, copd, heart, "
        + "musculoskeletal, free-physiotherapy, home-nursing or rehabilitation.");

    public static IReadOnlyList<HubRule> All { get; } = [Programme];

    public static void Check(MessageContext message, IssueList issues)
    {
        if (RehabilitationRequestRules.Check(message, RequestIntent.Order, "referral", issues) is var (request, path))
        {
            RehabilitationRequestRules.CheckCategory(request, path, RehabilitationCodes.ProgrammeSystem,
                RehabilitationCodes.Programmes.ContainsKey, Programme, "programme", issues);
        }
    }
}
