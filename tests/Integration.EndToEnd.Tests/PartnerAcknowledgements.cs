using System.Text;
using Integration.Fhir;

namespace Integration.EndToEnd.Tests;

/// <summary>What a partner system answers to a message the hub delivered to it: a MedCom Acknowledgement, built with the
/// same factory the hub uses (the factory's own tests check it against MedCom's profile).</summary>
public static class PartnerAcknowledgements
{
    public sealed record Built(string Json, string MessageHeaderId, string BundleId);

    /// <param name="messageJson">The message as the partner received it.</param>
    public static Built For(string messageJson, AcknowledgementCode code, string? issueCode = null)
    {
        var envelope = FhirServices.Parser.Parse(Encoding.UTF8.GetBytes(messageJson), FhirFormat.Json).Message?.Envelope
                       ?? throw new ArgumentException("not a message Bundle", nameof(messageJson));
        var ack = FhirServices.AcknowledgementFactory.Create(new AcknowledgementRequest
        {
            RespondsToMessageHeaderId = envelope.MessageHeaderId,
            From = envelope.Receivers[0],
            FromEndpoint = envelope.DestinationEndpoint ?? "urn:partner",
            To = envelope.Sender,
            ToEndpoint = envelope.SourceEndpoint ?? "urn:hub",
            Code = code,
            Issues = code == AcknowledgementCode.Ok ? [] : [new MedComIssue(issueCode ?? MedComIssueCodes.MailboxOutOfOperation, "answered by the test partner", null)],
            CreatedAt = DateTimeOffset.Now,
        });
        return new Built(ack.FhirJson, ack.MessageHeaderId, ack.BundleId);
    }
}
