using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using static Integration.Fhir.Messaging.MessageBundle;

namespace Integration.Fhir.CareCommunications;

/// <summary>The Communication the MessageHeader focuses on (else the only one): thread, category, topic, priority and
/// the identifiers of its message segments.</summary>
internal sealed record CommunicationFacts(Communication Resource, string ConversationId, string Category, string? Topic,
    string? Priority, IReadOnlySet<string> PayloadIdentifiers)
{
    public static CommunicationFacts? Read(Bundle bundle, MessageHeader header, List<MedComIssue> issues)
    {
        var index = header.Focus
            .Select(f => IndexOf(bundle, f.Reference))
            .FirstOrDefault(i => i >= 0 && bundle.Entry[i].Resource is Communication, -1);
        if (index < 0 && bundle.Entry.Count(e => e.Resource is Communication) == 1)
        {
            index = bundle.Entry.FindIndex(e => e.Resource is Communication);
        }

        if (index < 0)
        {
            issues.Add(new MedComIssue(MedComIssueCodes.DatatypeWrong,
                "MessageHeader.focus does not name a Communication of the message.", "Bundle.entry[0].resource.focus"));
            return null;
        }

        var path = Invariant($"Bundle.entry[{index}].resource");
        var communication = (Communication)bundle.Entry[index].Resource!;
        var count = issues.Count;

        var thread = communication.Identifier.Select(i => i.Value).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        if (thread is null)
        {
            issues.Add(new MedComIssue(MedComIssueCodes.DatatypeWrong,
                "Communication.identifier (the communication identifier of the thread) is missing.", path + ".identifier"));
        }

        var category = ReadCategory(communication, path + ".category", issues);
        if (issues.Count > count)
        {
            return null;
        }

        var topic = communication.Topic?.Text;
        return new CommunicationFacts(communication, thread!, category!,
            string.IsNullOrWhiteSpace(topic) ? null : topic,
            communication.Priority?.GetLiteral(),
            PayloadIdentifiersOf(communication));
    }

    private static string? ReadCategory(Communication communication, string path, List<MedComIssue> issues)
    {
        var codings = communication.Category.SelectMany(c => c.Coding).ToList();
        if (codings.Count == 0)
        {
            issues.Add(new MedComIssue(MedComIssueCodes.DatatypeWrong, "Communication.category is missing.", path));
            return null;
        }

        var coding = codings.FirstOrDefault(c => c.System == CareCommunicationCodes.CategorySystem);
        if (coding is null)
        {
            issues.Add(new MedComIssue(MedComIssueCodes.ValueSetValueUnknown,
                $"Communication.category must be coded in {CareCommunicationCodes.CategorySystem}.", path));
            return null;
        }

        if (string.IsNullOrEmpty(coding.Code) || !CareCommunicationCodes.Categories.Contains(coding.Code))
        {
            issues.Add(new MedComIssue(MedComIssueCodes.CodeSystemValueUnknown,
                "The category code is not in the MedCom CareCommunication category CodeSystem.", path));
            return null;
        }

        return coding.Code;
    }

    private static HashSet<string> PayloadIdentifiersOf(Communication communication) =>
        communication.Payload
            .Select(p => FindExtension(p.Extension, CareCommunicationCodes.PayloadIdentifierExtension)?.Value)
            .OfType<Identifier>()
            .Select(i => i.Value)
            .OfType<string>()
            .Where(v => v.Length > 0)
            .ToHashSet(StringComparer.Ordinal);
}
