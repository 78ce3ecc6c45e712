using Hl7.Fhir.Model;
using static Integration.Fhir.Messaging.MessageBundle;

namespace Integration.Fhir.Validation.Rules;

/// <summary>CareCommunication 5.0.2 (and 4.0.3): the Communication (MessageHeader.focus 1..1), its category, its message
/// segments (payload:string 1..*, each with an identifier) and the Provenance naming the segments this message adds.</summary>
internal static class CareCommunicationRules
{
    private const string IdentifierExtension = "http://medcomfhir.dk/ig/core/StructureDefinition/medcom-core-identifier-extension";

    public static void Check(MessageContext message, IssueList issues)
    {
        if (message.Kind == MessageKind.CareCommunication && string.IsNullOrWhiteSpace(message.Header.Definition))
        {
            issues.Error(HubRules.Definition, MessageContext.HeaderPath + ".definition",
                "MessageHeader.definition (the CareCommunication MessageDefinition) is missing.");
        }

        var communications = message.All<Communication>().ToList();
        if (communications.Count != 1)
        {
            issues.Error(HubRules.CommunicationRequired, communications.Count == 0 ? HubRules.CommunicationRequired.MedComCode : "MSG_RESOURCE_NOT_ALLOWED",
                "Bundle.entry", Invariant($"A CareCommunication has exactly one Communication; this one has {communications.Count}."));
        }

        var focus = message.Header.Focus;
        var (communication, path) = focus.Count == 1 ? message.Resolve<Communication>(focus[0]) : (null, null);
        if (communication is null)
        {
            issues.Error(HubRules.CommunicationRequired, MessageContext.HeaderPath + ".focus",
                "MessageHeader.focus must reference the Communication in the Bundle.");
            return;
        }

        CheckCategory(communication, path!, issues);
        var payloadIdentifiers = CheckPayloads(communication, path!, issues);
        foreach (var (provenance, provenancePath) in message.OwnProvenances())
        {
            CheckProvenancePayloads(provenance, provenancePath, payloadIdentifiers, issues);
        }
    }

    private static void CheckCategory(Communication communication, string path, IssueList issues)
    {
        if (communication.Category.Count != 1 || communication.Category[0].Coding.Count != 1)
        {
            issues.Error(HubRules.Category, "MSG_BAD_FORMAT", path + ".category", "Communication.category has exactly one coding.");
            return;
        }

        var coding = communication.Category[0].Coding[0];
        if (!string.Equals(coding.System, MedComCodeLists.CategoryCodeSystem, StringComparison.Ordinal))
        {
            issues.Error(HubRules.Category, path + ".category[0].coding[0].system",
                "Communication.category is not coded in MedCom's CareCommunication category codes.");
        }
        else if (coding.Code is null || !MedComCodeLists.CareCommunicationCategories.Contains(coding.Code))
        {
            issues.Error(HubRules.Category, path + ".category[0].coding[0].code",
                "Communication.category is not a code of MedCom's CareCommunication category codes.");
        }
    }

    /// <summary>Checks the message segments and returns their identifiers.</summary>
    private static HashSet<string> CheckPayloads(Communication communication, string path, IssueList issues)
    {
        var identifiers = new HashSet<string>(StringComparer.Ordinal);
        var hasText = false;
        for (var i = 0; i < communication.Payload.Count; i++)
        {
            var payload = communication.Payload[i];
            hasText |= payload.Content is FhirString { Value: { } text } && !string.IsNullOrWhiteSpace(text);
            var identifier = (FindExtension(payload.Extension, IdentifierExtension)?.Value as Identifier)?.Value;
            if (string.IsNullOrWhiteSpace(identifier))
            {
                issues.Error(HubRules.PayloadIdentifier, Invariant($"{path}.payload[{i}].extension"),
                    "The payload has no identifier extension (medcom-core-identifier-extension).");
            }
            else
            {
                identifiers.Add(identifier);
            }
        }

        if (!hasText)
        {
            issues.Error(HubRules.PayloadText, path + ".payload",
                "The Communication has no message text: at least one payload must have a contentString.");
        }

        return identifiers;
    }

    /// <summary>The Provenance of this message names the segments it adds (entity role source, what.identifier = the
    /// payload's identifier; "if more payloads are added, each payload must be represented with an individual entity").
    /// MedCom's receive tests R-Tek-M/N ("dublicate-inv") break exactly this and expect a negative acknowledgement; so do
    /// MedCom's IG examples Bundle-gfd00bc2… and Bundle-k7bfbc0c…, which the hub therefore rejects too.</summary>
    private static void CheckProvenancePayloads(Provenance provenance, string path, HashSet<string> payloadIdentifiers, IssueList issues)
    {
        var sources = provenance.Entity
            .Select((entity, index) => (entity, index))
            .Where(e => e.entity.Role == Provenance.ProvenanceEntityRole.Source)
            .ToList();
        if (sources.Count == 0)
        {
            issues.Error(HubRules.ProvenancePayload, path + ".entity",
                "The message's Provenance names no payload (entity with role source and what.identifier = the payload's identifier).");
            return;
        }

        foreach (var (entity, index) in sources)
        {
            if (entity.What?.Identifier?.Value is not { } named || !payloadIdentifiers.Contains(named))
            {
                issues.Error(HubRules.ProvenancePayload, Invariant($"{path}.entity[{index}].what.identifier"),
                    "This source entity of the message's Provenance names no payload of the Communication.");
            }
        }
    }
}
