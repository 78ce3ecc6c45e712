using System.Text.RegularExpressions;
using Hl7.Fhir.Model;

namespace Integration.Fhir.Validation.Rules;

/// <summary>MedCom: every timestamp carries a time zone. FHIR's dateTime regex lets a time without zone through, so the
/// strict parser does not catch it.</summary>
internal static partial class TimestampRules
{
    /// <summary>Every dateTime in the Bundle that has a time has a zone.</summary>
    public static void Check(MessageContext message, IssueList issues)
    {
        // Over the POCOs, not the ElementModel nodes: the same elements and paths, a fraction of the allocations.
        ElementWalk.Run(message.Bundle, (node, path) =>
        {
            if (node is FhirDateTime { Value: { } value } && HasTimeWithoutZone(value))
            {
                issues.Error(HubRules.TimestampZone, path.ToString(), "A timestamp with a time must carry a time zone (Z or ±hh:mm).");
            }

            return WalkOn.IntoElements; // extensions, on primitives too, may hold a dateTime
        });
    }

    /// <summary>The message's own Provenance says when: occurredDateTime with date, time and zone.</summary>
    public static void CheckOccurred(Provenance provenance, string provenancePath, IssueList issues)
    {
        var path = provenancePath + ".occurred";
        switch (provenance.Occurred)
        {
            case null:
                issues.Error(HubRules.TimestampZone, "MSG_BAD_FORMAT", path, "Provenance.occurredDateTime is missing.");
                break;
            case FhirDateTime { Value: { } value } when !value.Contains('T', StringComparison.Ordinal):
                issues.Error(HubRules.TimestampZone, path, "Provenance.occurredDateTime has a date but no time and time zone.");
                break;
            case FhirDateTime:
                break;
            default:
                issues.Error(HubRules.TimestampZone, MedComIssueCodes.DatatypeWrong, path,
                    "Provenance.occurred must be a dateTime (occurredDateTime), not a Period.");
                break;
        }
    }

    private static bool HasTimeWithoutZone(string value) =>
        value.Contains('T', StringComparison.Ordinal) && !Zone().IsMatch(value);

    [GeneratedRegex(@"(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Zone();
}
