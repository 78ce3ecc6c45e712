using Hl7.Fhir.Model;
using Integration.Fhir.Messaging;
using Integration.Fhir.Validation.Rules;

namespace Integration.Fhir.Validation;

/// <summary>Which MedCom rule set a message gets, from MessageHeader.eventCoding.code.</summary>
internal enum MessageKind
{
    /// <summary>A type the hub has no rules for: only the messaging-level rules apply; routing decides whether the
    /// receiver takes it.</summary>
    Other,
    HospitalNotification,
    /// <summary>CareCommunication 5.0.2 (MessageHeader.definition …MedComCareCommunicationMessageDefinition|5.x, or absent).</summary>
    CareCommunication,
    /// <summary>CareCommunication 4.0.3 (MessageHeader.definition …medcom-careCommunication-message-definition|4.0.0).</summary>
    CareCommunication4,
    Acknowledgement,
    /// <summary>The hub's own episode-status message (contracts/profiles/episode-status.md).</summary>
    EpisodeStatus,
    /// <summary>The hub's own admission report (contracts/profiles/admission-report.md).</summary>
    AdmissionReport,
    /// <summary>The hub's own training-plan message (contracts/profiles/training-plan.md).</summary>
    TrainingPlan,
    /// <summary>The hub's own referral message (contracts/profiles/referral.md).</summary>
    Referral,
}

/// <summary>One message Bundle under validation, with the lookups the rules share. Paths are FHIRPath expressions from
/// the Bundle, e.g. <c>Bundle.entry[3].resource.identifier[0].value</c>.</summary>
internal sealed class MessageContext
{
    private const string CareCommunication4Definition =
        "http://medcomfhir.dk/ig/carecommunication/medcom-careCommunication-message-definition|4";

    public MessageContext(Bundle bundle, MessageHeader header)
    {
        Bundle = bundle;
        Header = header;
        Kind = KindOf(header);
    }

    public Bundle Bundle { get; }
    public MessageHeader Header { get; }
    public MessageKind Kind { get; }

    /// <summary>The Bundle as Firely's node tree (FHIRPath, element paths), built once per message.</summary>
    public PocoNode Root => root ??= Bundle.ToPocoNode();

    private PocoNode? root;

    public const string HeaderPath = "Bundle.entry[0].resource";

    public static string EntryPath(int index) => MessageBundle.Invariant($"Bundle.entry[{index}].resource");

    public static MessageKind KindOf(MessageHeader header) => (header.Event as Coding)?.Code switch
    {
        MedComCodeLists.HospitalNotificationEvent => MessageKind.HospitalNotification,
        MedComCodeLists.CareCommunicationEvent when header.Definition?.StartsWith(CareCommunication4Definition, StringComparison.Ordinal) == true
            => MessageKind.CareCommunication4,
        MedComCodeLists.CareCommunicationEvent => MessageKind.CareCommunication,
        MedComCodeLists.AcknowledgementEvent => MessageKind.Acknowledgement,
        MedComCodeLists.EpisodeStatusEvent => MessageKind.EpisodeStatus,
        MedComCodeLists.AdmissionReportEvent => MessageKind.AdmissionReport,
        MedComCodeLists.TrainingPlanEvent => MessageKind.TrainingPlan,
        MedComCodeLists.ReferralEvent => MessageKind.Referral,
        _ => MessageKind.Other,
    };

    public bool IsCareCommunication => Kind is MessageKind.CareCommunication or MessageKind.CareCommunication4;

    /// <summary>The entries holding a resource of type <typeparamref name="T"/>, with their paths.</summary>
    public IEnumerable<(T Resource, string Path)> All<T>() where T : Resource
    {
        for (var i = 0; i < Bundle.Entry.Count; i++)
        {
            if (Bundle.Entry[i].Resource is T resource)
            {
                yield return (resource, EntryPath(i));
            }
        }
    }

    /// <summary>Resolves a reference to an entry of the Bundle (fullUrl, Type/id, or a fullUrl ending in /Type/id).</summary>
    public (T? Resource, string? Path) Resolve<T>(ResourceReference? reference) where T : Resource
    {
        var index = MessageBundle.IndexOf(Bundle, reference?.Reference);
        return index >= 0 && Bundle.Entry[index].Resource is T resource ? (resource, EntryPath(index)) : (null, null);
    }

    /// <summary>The Provenances whose target is this message's MessageHeader.</summary>
    public IEnumerable<(Provenance Resource, string Path)> OwnProvenances() =>
        All<Provenance>().Where(p => p.Resource.Target.Any(t => MessageBundle.PointsAt(Bundle, t.Reference, 0)));
}
