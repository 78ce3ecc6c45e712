using Integration.Fhir;
using Integration.Testing;

namespace Integration.Bench.Micro;

/// <summary>One message type: an example message and the reader that maps it to the hub's records.</summary>
public sealed class MessageCase
{
    private MessageCase(string name, string path, Func<string, bool> map, Func<ParsedMessage, bool>? mapParsed = null)
    {
        Name = name;
        Body = File.ReadAllBytes(path);
        Map = map;
        MapAsTheHubDoes = mapParsed ?? (parsed => map(parsed.FhirJson));
    }

    public string Name { get; }

    public byte[] Body { get; }

    /// <summary>Reads the message into the hub's records; true when it read without errors.</summary>
    public Func<string, bool> Map { get; }

    /// <summary>The mapping as the hub runs it after ingress: a HospitalNotification is read from the Bundle ingress
    /// parsed (handed to the municipal handler, ADR 0011); the other types from their stored JSON.</summary>
    public Func<ParsedMessage, bool> MapAsTheHubDoes { get; }

    public override string ToString() => Name;

    /// <summary>MedCom's own examples where MedCom publishes them; the hub's contract examples for its own messages.</summary>
    public static IEnumerable<MessageCase> All()
    {
        var medcom = MedComExamples.Examples;
        var contracts = Path.Combine(MedComExamples.RepositoryRoot, "contracts", "examples");
        yield return new MessageCase("Notification STIN",
            Path.Combine(MedComExamples.HospitalNotifications, "Bundle-a5e5b880-c087-4055-b9ec-99108695f81d.json"),
            json => FhirServices.HospitalNotificationReader.Read(json).Errors.Count == 0,
            parsed => FhirServices.HospitalNotificationReader.Read(parsed).Errors.Count == 0);
        yield return new MessageCase("CareCommunication",
            Path.Combine(MedComExamples.CareCommunications, "Bundle-0d5b3c18-fab6-4d93-9d88-c9c8abf1f18c.json"),
            json => FhirServices.CareCommunicationReader.Read(json).Errors.Count == 0);
        yield return new MessageCase("Acknowledgement",
            Path.Combine(medcom, "ig-acknowledgement-2.0.3", "Bundle-a8c041b8-c65a-4fde-a90f-962076918834.json"),
            json => FhirServices.AcknowledgementReader.Read(json).Errors.Count == 0);
        yield return new MessageCase("Training plan",
            Path.Combine(contracts, "training-plan-new.json"),
            json => FhirServices.TrainingPlanReader.Read(json).Errors.Count == 0);
        yield return new MessageCase("Referral",
            Path.Combine(contracts, "referral-diabetes.json"),
            json => FhirServices.ReferralReader.Read(json).Errors.Count == 0);
        yield return new MessageCase("Episode status",
            Path.Combine(contracts, "episode-status-received.json"),
            json => FhirServices.EpisodeStatusReader.Read(json).Errors.Count == 0);
    }
}
