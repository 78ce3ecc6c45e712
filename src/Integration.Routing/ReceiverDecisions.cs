using Integration.Contracts;
using Integration.Fhir;
using Integration.Partners;

namespace Integration.Routing;

/// <summary>
/// Where a valid message goes: <see cref="MunicipalUnit"/> set → the municipality's handlers (with
/// <see cref="Direction"/>); <see cref="Origin"/> set → passed on to <see cref="Receiver"/> and tracked; <see cref="Issue"/>
/// set → parked with a fatal-error acknowledgement naming the issue.
/// </summary>
public sealed record ReceiverDecision(Partner? Receiver, Partner? MunicipalUnit, CareCommunicationDirection Direction, MedComIssue? Issue, Partner? Origin = null)
{
    public static ReceiverDecision Refuse(MedComIssue issue) => new(null, null, default, issue);
}

/// <summary>
/// Decides who receives a message from its MessageHeader and the partner registry. The router acts on the decision; an
/// operator's dry run of a retry shows it without acting.
/// </summary>
public sealed class ReceiverDecisions(IPartnerRegistry partners)
{
    public ReceiverDecision Decide(RouteMessage command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (string.IsNullOrEmpty(command.ReceiverEan) && string.IsNullOrEmpty(command.ReceiverSor))
        {
            return ReceiverDecision.Refuse(new MedComIssue(MedComIssueCodes.ReceiverIdentifierMissing, "MessageHeader.destination names no receiver with an EAN or SOR identifier.", "Bundle.entry[0].resource.destination", "hub-receiver-known"));
        }

        var receiver = partners.Find(command.ReceiverEan, command.ReceiverSor);
        if (receiver is null)
        {
            return ReceiverDecision.Refuse(new MedComIssue(MedComIssueCodes.ReceiverIdentifierUnknown,
                $"No partner with EAN {command.ReceiverEan ?? "-"} / SOR {command.ReceiverSor ?? "-"} is known to the hub.", "Bundle.entry[0].resource.destination[0].receiver", "hub-receiver-known"));
        }

        var unable = new MedComIssue(MedComIssueCodes.ReceiverUnableToReceiveMessageType,
            $"Receiver {receiver.Id} does not take {command.MessageType} through the hub.", "Bundle.entry[0].resource.eventCoding", "hub-receiver-takes-type");
        var isMunicipal = receiver.Kind == PartnerKind.Municipality && receiver.MunicipalityCode is not null;
        switch (command.MessageType)
        {
            case MessageTypes.HospitalNotification or MessageTypes.TrainingPlan or MessageTypes.Referral:
                return isMunicipal ? new ReceiverDecision(receiver, receiver, CareCommunicationDirection.Incoming, null) : ReceiverDecision.Refuse(unable);
            case MessageTypes.CareCommunication:
                // To a municipality the hub serves: its handler keeps the conversation and acknowledges. From one (to a
                // hospital or GP): its handler keeps the conversation and the hub sends it on. Between other partners
                // (e.g. hospital → GP): the hub passes it on and relays the receiver's acknowledgement back.
                var from = partners.Find(command.SenderEan, command.SenderSor);
                if (isMunicipal)
                {
                    return new ReceiverDecision(receiver, receiver, CareCommunicationDirection.Incoming, null);
                }

                if (from is { Kind: PartnerKind.Municipality, MunicipalityCode: not null })
                {
                    return new ReceiverDecision(receiver, from, CareCommunicationDirection.Outgoing, null);
                }

                return from is null
                    ? ReceiverDecision.Refuse(new MedComIssue(MedComIssueCodes.ReceiverUnableToReceiveMessageType,
                        "The sender is not in the partner registry, so the receiver's acknowledgement could not reach it; the hub does not pass the message on.",
                        "Bundle.entry[0].resource.sender", "hub-sender-known"))
                    : new ReceiverDecision(receiver, null, default, null, from);
            default:
                return ReceiverDecision.Refuse(unable);
        }
    }
}
