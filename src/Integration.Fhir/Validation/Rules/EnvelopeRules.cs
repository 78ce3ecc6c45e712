using Hl7.Fhir.Model;
using Integration.Fhir.Messaging;
using static Integration.Fhir.Messaging.MessageBundle;

namespace Integration.Fhir.Validation.Rules;

/// <summary>Messaging-level rules (medcom-messaging-message, -messageHeader, -provenance): every message gets them,
/// whatever its type.</summary>
internal static class EnvelopeRules
{
    public static void Check(MessageContext message, IssueList issues)
    {
        CheckBundle(message, issues);
        CheckEvent(message, issues);
        CheckSender(message, issues);
        CheckDestinations(message, issues);
        CheckProvenances(message, issues);
    }

    private static void CheckBundle(MessageContext message, IssueList issues)
    {
        if (string.IsNullOrWhiteSpace(message.Bundle.Id))
        {
            issues.Error(HubRules.BundleTimestamp, "Bundle.id", "Bundle.id is missing.");
        }

        if (message.Bundle.TimestampElement?.Value is null)
        {
            issues.Error(HubRules.BundleTimestamp, "Bundle.timestamp", "Bundle.timestamp is missing.");
        }

        CheckEntries(message.Bundle, issues);
    }

    /// <summary>FHIR's bdl-5 and bdl-7, cheap to check and not checked by the strict parser. A hostile Bundle may have
    /// thousands of such entries: the first few are reported, which is enough to reject it.</summary>
    private static void CheckEntries(Bundle bundle, IssueList issues)
    {
        const int reportAtMost = 10;
        var withoutResource = 0;
        var duplicates = 0;
        var fullUrls = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var entry = bundle.Entry[i];
            if (entry.Resource is null && withoutResource++ < reportAtMost)
            {
                issues.Error(HubRules.EntryResource, Invariant($"Bundle.entry[{i}]"), "The entry has no resource.");
            }

            if (!string.IsNullOrEmpty(entry.FullUrl) && !fullUrls.Add(entry.FullUrl) && duplicates++ < reportAtMost)
            {
                issues.Error(HubRules.EntryFullUrlUnique, Invariant($"Bundle.entry[{i}].fullUrl"),
                    "The entry's fullUrl is the same as an earlier entry's.");
            }
        }
    }

    private static void CheckEvent(MessageContext message, IssueList issues)
    {
        const string path = MessageContext.HeaderPath + ".event";
        switch (message.Header.Event)
        {
            case Coding coding when !MedComCodeLists.IsEventCodeSystem(coding.System):
                issues.Error(HubRules.EventCode, path + ".system", "eventCoding.system is not MedCom's event code system (medcom-messaging-eventCodes) or the hub's own (rehab-messaging-eventCodes).");
                break;
            case Coding coding when coding.Code is null || !MedComCodeLists.EventCodesOf(coding.System).Contains(coding.Code):
                issues.Error(HubRules.EventCode, path + ".code", "eventCoding.code is not a code of its event code system.");
                break;
            case Coding:
                break;
            case null:
                issues.Error(HubRules.EventCode, "MSG_BAD_FORMAT", path, "MessageHeader.eventCoding is missing.");
                break;
            default:
                issues.Error(HubRules.EventCode, MedComIssueCodes.DatatypeWrong, path, "MessageHeader.event must be a Coding (eventCoding), not an eventUri.");
                break;
        }
    }

    private static void CheckSender(MessageContext message, IssueList issues)
    {
        const string path = MessageContext.HeaderPath + ".sender";
        if (message.Header.Sender is null)
        {
            issues.Error(HubRules.Sender, "MSG_BAD_FORMAT", path, "MessageHeader.sender is missing.");
            return;
        }

        var (sender, senderPath) = message.Resolve<Organization>(message.Header.Sender);
        if (sender is null)
        {
            issues.Error(HubRules.Sender, path, "MessageHeader.sender does not reference an Organization in the Bundle.");
            return;
        }

        OrganizationRules.CheckMessagingIdentifiers(sender, senderPath!, "MSG_BAD_FORMAT", "sender", issues);
    }

    private static void CheckDestinations(MessageContext message, IssueList issues)
    {
        var destinations = message.Header.Destination;
        if (destinations.Count == 0)
        {
            issues.Error(HubRules.Destination, MessageContext.HeaderPath + ".destination", "MessageHeader has no destination.");
            return;
        }

        var primaries = 0;
        for (var i = 0; i < destinations.Count; i++)
        {
            var path = Invariant($"{MessageContext.HeaderPath}.destination[{i}]");
            var use = (FindExtension(destinations[i].Extension, MedComUrls.DestinationUseExtension)?.Value as Coding)?.Code;
            switch (use)
            {
                case null:
                    issues.Error(HubRules.Destination, "MSG_BAD_FORMAT", path + ".extension",
                        "The destination has no destinationUse extension (primary or cc).");
                    break;
                case MedComUrls.PrimaryDestination:
                    primaries++;
                    break;
                case "cc" when message.Kind is not MessageKind.Other:
                    issues.Error(HubRules.NoCarbonCopy, path, "This message type allows no cc destination.");
                    break;
            }

            CheckReceiver(message, destinations[i].Receiver, path + ".receiver", issues);
        }

        if (primaries != 1)
        {
            issues.Error(HubRules.Destination, "MSG_BAD_FORMAT", MessageContext.HeaderPath + ".destination",
                Invariant($"A message has exactly one primary destination; this one has {primaries}."));
        }
    }

    private static void CheckReceiver(MessageContext message, ResourceReference? reference, string path, IssueList issues)
    {
        if (reference is null)
        {
            issues.Error(HubRules.Destination, path, "The destination has no receiver.");
            return;
        }

        var (receiver, receiverPath) = message.Resolve<Organization>(reference);
        if (receiver is null)
        {
            issues.Error(HubRules.Destination, path, "The receiver does not reference an Organization in the Bundle.");
            return;
        }

        OrganizationRules.CheckMessagingIdentifiers(receiver, receiverPath!, MedComIssueCodes.ReceiverIdentifierMissing, "receiver", issues);
    }

    private static void CheckProvenances(MessageContext message, IssueList issues)
    {
        var all = message.All<Provenance>().ToList();
        var own = message.OwnProvenances().ToList();
        if (all.Count == 0)
        {
            issues.Error(HubRules.ProvenanceRequired, "Bundle.entry", "The message has no Provenance.");
        }
        else if (own.Count == 0 && message.Kind == MessageKind.Other)
        {
            // medcom-messaging-2 only asks for a Provenance; the hub needs the message's own one for the types it
            // processes. MedCom's empty-message example in the Acknowledgement IG targets another MessageHeader.
            issues.Warning(HubRules.ProvenanceRequired, "Bundle.entry", "No Provenance has this message's MessageHeader as its target.");
        }
        else if (own.Count == 0)
        {
            issues.Error(HubRules.ProvenanceRequired, "Bundle.entry",
                "No Provenance has this message's MessageHeader as its target.");
        }

        foreach (var (provenance, path) in all)
        {
            var isOwn = own.Any(o => ReferenceEquals(o.Resource, provenance));
            ActivityRules.Check(message.Kind, provenance, path, isOwn, issues);
            if (isOwn)
            {
                TimestampRules.CheckOccurred(provenance, path, issues);
            }
        }
    }
}
