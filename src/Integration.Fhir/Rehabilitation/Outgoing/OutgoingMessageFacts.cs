using System.Globalization;
using Hl7.Fhir.Model;
using Integration.Fhir.Messaging;
using Integration.Fhir.Validation.Rules;
using static Integration.Fhir.Messaging.MessageBundle;

namespace Integration.Fhir.Rehabilitation.Outgoing;

/// <summary>What every reader of the hub's own outgoing messages takes from the envelope: sender, primary receiver and
/// endpoints, the message's own Provenance (activity in the hub's activity code system, when it was sent), the citizen,
/// and the focus resource. Problems are added as MedCom issues; texts never quote values.</summary>
internal sealed class OutgoingMessageFacts
{
    private const string HeaderPath = "Bundle.entry[0].resource";

    private OutgoingMessageFacts(Bundle bundle, MessageHeader header) => (Bundle, Header) = (bundle, header);

    public Bundle Bundle { get; }
    public MessageHeader Header { get; }
    public OrganizationIdentity? From { get; private init; }
    public OrganizationIdentity? To { get; private init; }
    public string? FromEndpoint => Header.Source?.Endpoint;
    public string? ToEndpoint { get; private init; }
    public Provenance? OwnProvenance { get; private init; }
    public string? OwnProvenancePath { get; private init; }
    public string? Activity { get; private init; }
    public DateTimeOffset SentAt { get; private init; }
    public string? CitizenCpr { get; private init; }

    public static OutgoingMessageFacts Read(Bundle bundle, MessageHeader header, List<MedComIssue> issues)
    {
        var sender = Resolve<Organization>(bundle, header.Sender);
        if (sender is null)
        {
            issues.Add(new MedComIssue("MSG_RESOURCE_REQUIRED", "MessageHeader.sender does not reference an Organization in the Bundle.", HeaderPath + ".sender"));
        }

        var destinations = header.Destination;
        var primary = destinations.FirstOrDefault(d =>
            (FindExtension(d.Extension, MedComUrls.DestinationUseExtension)?.Value as Coding)?.Code == MedComUrls.PrimaryDestination)
            ?? destinations.FirstOrDefault();
        var receiver = Resolve<Organization>(bundle, primary?.Receiver);
        if (receiver is null)
        {
            issues.Add(new MedComIssue(MedComIssueCodes.ReceiverIdentifierMissing,
                "The primary destination's receiver does not reference an Organization in the Bundle.", HeaderPath + ".destination"));
        }

        var (provenance, provenancePath, activity, sentAt) = ReadOwnProvenance(bundle, issues);
        return new OutgoingMessageFacts(bundle, header)
        {
            From = Identity(sender),
            To = Identity(receiver),
            ToEndpoint = primary?.Endpoint,
            OwnProvenance = provenance,
            OwnProvenancePath = provenancePath,
            Activity = activity,
            SentAt = sentAt,
            CitizenCpr = ReadCpr(bundle, issues),
        };
    }

    /// <summary>The resource MessageHeader.focus names, with its path; an issue when there is none of type <typeparamref name="T"/>.</summary>
    public (T? Resource, string Path) Focus<T>(List<MedComIssue> issues) where T : Resource
    {
        var index = Header.Focus.Select(f => IndexOf(Bundle, f.Reference)).FirstOrDefault(i => i >= 0 && Bundle.Entry[i].Resource is T, -1);
        if (index < 0)
        {
            issues.Add(new MedComIssue("MSG_RESOURCE_REQUIRED",
                Invariant($"MessageHeader.focus does not reference a {typeof(T).Name} in the Bundle."), HeaderPath + ".focus"));
            return (null, HeaderPath + ".focus");
        }

        return ((T)Bundle.Entry[index].Resource!, Invariant($"Bundle.entry[{index}].resource"));
    }

    /// <summary>A municipal unit from an Organization: name, SOR, first phone, first contact's name.</summary>
    public static MunicipalUnit? Unit(Organization? organization) => organization is null || string.IsNullOrWhiteSpace(organization.Name)
        ? null
        : new MunicipalUnit(organization.Name,
            IdentifierValue(organization.Identifier, MedComUrls.SorSystem),
            organization.Telecom.FirstOrDefault(t => t.System == ContactPoint.ContactPointSystem.Phone && !string.IsNullOrWhiteSpace(t.Value))?.Value,
            organization.Contact.Select(c => c.Name?.Text).FirstOrDefault(n => !string.IsNullOrWhiteSpace(n)));

    /// <summary>A FHIR date (or the date part of a dateTime, in its own offset).</summary>
    public static DateOnly? Day(FhirDateTime? value)
    {
        var text = value?.Value;
        return text is { Length: >= 10 }
               && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : null;
    }

    private static (Provenance?, string?, string?, DateTimeOffset) ReadOwnProvenance(Bundle bundle, List<MedComIssue> issues)
    {
        var index = bundle.Entry.FindIndex(e => e.Resource is Provenance p && p.Target.Any(t => PointsAt(bundle, t.Reference, 0)));
        if (index < 0)
        {
            issues.Add(new MedComIssue("MSG_RESOURCE_REQUIRED", "No Provenance has this message's MessageHeader as target.", "Bundle.entry"));
            return (null, null, null, default);
        }

        var path = Invariant($"Bundle.entry[{index}].resource");
        var provenance = (Provenance)bundle.Entry[index].Resource!;
        var activity = provenance.Activity?.Coding
            .FirstOrDefault(c => string.Equals(c.System, MedComCodeLists.HubActivityCodeSystem, StringComparison.Ordinal))?.Code;
        if (string.IsNullOrEmpty(activity))
        {
            issues.Add(new MedComIssue(MedComIssueCodes.ValueSetValueUnknown,
                $"Provenance.activity must be coded in {MedComCodeLists.HubActivityCodeSystem}.", path + ".activity"));
        }

        if (!TryReadZoned(provenance.Occurred as FhirDateTime, out var sentAt))
        {
            issues.Add(new MedComIssue(MedComIssueCodes.DatatypeWrong,
                "Provenance.occurredDateTime must be a date and time with a time zone.", path + ".occurred"));
        }

        return (provenance, path, activity, sentAt);
    }

    private static string? ReadCpr(Bundle bundle, List<MedComIssue> issues)
    {
        var patients = bundle.Entry.Select((e, i) => (e.Resource as Patient, i)).Where(p => p.Item1 is not null).ToList();
        if (patients.Count != 1)
        {
            issues.Add(new MedComIssue("MSG_RESOURCE_REQUIRED", "The message must have exactly one Patient.", "Bundle.entry"));
            return null;
        }

        var (patient, index) = patients[0];
        var cpr = IdentifierValue(patient!.Identifier, MedComUrls.CprSystem);
        if (cpr is null)
        {
            issues.Add(new MedComIssue(MedComIssueCodes.DatatypeWrong,
                $"The Patient has no identifier with system {MedComUrls.CprSystem} (CPR).", Invariant($"Bundle.entry[{index}].resource.identifier")));
        }

        return cpr;
    }
}
