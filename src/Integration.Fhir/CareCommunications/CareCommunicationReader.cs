using System.Text;
using Hl7.Fhir.Model;
using Integration.Fhir.Messaging;
using Integration.Fhir.Parsing;

namespace Integration.Fhir.CareCommunications;

/// <summary>Reads a MedCom CareCommunication 5.0.2 (and 4.0.3, which has the same shape). Problems become
/// <see cref="MedComIssue"/>s with element paths, ready for a fatal-error acknowledgement; texts never contain values
/// from the message.</summary>
internal sealed class CareCommunicationReader(SafeFhirDeserializer deserializer) : ICareCommunicationReader
{
    public CareCommunicationResult Read(string fhirJson)
    {
        ArgumentNullException.ThrowIfNull(fhirJson);
        return TypedMessageLoader.Guarded(() => ReadCore(fhirJson), Failed);
    }

    private CareCommunicationResult ReadCore(string fhirJson)
    {
        if (TypedMessageLoader.TryLoad(deserializer, fhirJson, CareCommunicationCodes.Event, "a CareCommunication", out var bundle, out var header) is { } notLoaded)
        {
            return Failed(notLoaded);
        }

        var issues = new List<MedComIssue>();
        var communication = CommunicationFacts.Read(bundle, header, issues);
        var patient = PatientFacts.Read(bundle, communication?.Resource, issues);
        var provenance = OwnProvenanceFacts.Read(bundle, communication?.PayloadIdentifiers, issues);
        if (issues.Count > 0 || communication is null || patient is null || provenance is null)
        {
            return new CareCommunicationResult(null, issues);
        }

        var message = new CareCommunication
        {
            MessageHeaderId = header.Id!,
            Activity = provenance.Activity,
            ConversationId = communication.ConversationId,
            Category = communication.Category,
            Topic = communication.Topic,
            Priority = communication.Priority,
            CitizenCpr = patient.Cpr,
            ReplacementCprs = patient.ReplacementCprs,
            SentAt = provenance.OccurredAt,
            PreviousMessageHeaderIds = provenance.PreviousMessageHeaderIds,
            PreviousNonFhirMessageIds = provenance.PreviousNonFhirMessageIds,
        };
        return new CareCommunicationResult(message, []);
    }

    private static CareCommunicationResult Failed(MedComIssue issue) => new(null, [issue]);
}
