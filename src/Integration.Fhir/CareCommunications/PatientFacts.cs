using Hl7.Fhir.Model;
using Integration.Fhir.Messaging;
using static Integration.Fhir.Messaging.MessageBundle;

namespace Integration.Fhir.CareCommunications;

/// <summary>The Patient the Communication is about: its CPR number and replacement CPR numbers. MedCom core 3 allows a
/// Patient with only a replacement CPR (x-eCPR or d-eCPR); one with neither cannot be kept for a citizen.</summary>
internal sealed record PatientFacts(string? Cpr, IReadOnlyList<ReplacementCpr> ReplacementCprs)
{
    public static PatientFacts? Read(Bundle bundle, Communication? communication, List<MedComIssue> issues)
    {
        var index = IndexOf(bundle, communication?.Subject?.Reference);
        if (index < 0 || bundle.Entry[index].Resource is not Patient)
        {
            index = bundle.Entry.Count(e => e.Resource is Patient) == 1 ? bundle.Entry.FindIndex(e => e.Resource is Patient) : -1;
        }

        if (index < 0)
        {
            issues.Add(new MedComIssue(MedComIssueCodes.DatatypeWrong,
                "The message has no Patient that Communication.subject names.", "Bundle.entry"));
            return null;
        }

        var patient = (Patient)bundle.Entry[index].Resource!;
        var cpr = IdentifierValue(patient.Identifier, MedComUrls.CprSystem);
        var replacements = new List<ReplacementCpr>();
        foreach (var identifier in patient.Identifier)
        {
            if (identifier is { System: { } system, Value: { Length: > 0 } value } && CareCommunicationCodes.IsReplacementCprSystem(system))
            {
                replacements.Add(new ReplacementCpr(system, value));
            }
        }

        if (cpr is null && replacements.Count == 0)
        {
            issues.Add(new MedComIssue(MedComIssueCodes.DatatypeWrong,
                $"The Patient has neither a CPR number ({MedComUrls.CprSystem}) nor a replacement CPR number "
                + $"({CareCommunicationCodes.XEcprSystem} or {CareCommunicationCodes.DEcprSystem}).",
                Invariant($"Bundle.entry[{index}].resource.identifier")));
            return null;
        }

        return new PatientFacts(cpr, replacements);
    }
}
