using System.Text;
using Hl7.Fhir.Model;
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
        try
        {
            return ReadCore(fhirJson);
        }
#pragma warning disable CA1031 // Errors, not exceptions: a hostile message must end in an ACK, not a crash.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Failed(new MedComIssue(MedComIssueCodes.DatatypeWrong,
                $"The message could not be read ({ex.GetType().Name}).", null));
        }
    }

    private CareCommunicationResult ReadCore(string fhirJson)
    {
        // Cheap pre-check so that an oversized string is not copied before being rejected.
        if (fhirJson.Length > deserializer.Limits.MaxBodyBytes)
        {
            return Failed(new MedComIssue(MedComIssueCodes.DatatypeWrong,
                $"The message is larger than {deserializer.Limits.MaxBodyBytes} bytes.", null));
        }

        if (!deserializer.TryDeserialize(Encoding.UTF8.GetBytes(fhirJson), FhirFormat.Json, out var resource, out var failure))
        {
            return Failed(new MedComIssue(MedComIssueCodes.DatatypeWrong, failure.Reason, failure.Location));
        }

        if (resource is not Bundle { Type: Bundle.BundleType.Message } bundle
            || bundle.Entry.Count == 0
            || bundle.Entry[0].Resource is not MessageHeader { Id: { Length: > 0 } headerId } header)
        {
            return Failed(new MedComIssue(MedComIssueCodes.DatatypeWrong,
                "The message is not a Bundle of type message with a MessageHeader (with an id) as its first entry.",
                "Bundle.entry[0].resource"));
        }

        if (header.Event is not Coding { Code: CareCommunicationCodes.Event })
        {
            return Failed(new MedComIssue(MedComIssueCodes.ReceiverUnableToReceiveMessageType,
                $"The message is not a CareCommunication (eventCoding must be {CareCommunicationCodes.Event}).",
                "Bundle.entry[0].resource.eventCoding"));
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
            MessageHeaderId = headerId,
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
