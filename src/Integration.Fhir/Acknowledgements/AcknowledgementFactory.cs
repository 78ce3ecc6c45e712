using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Integration.Fhir.Messaging;
using static Integration.Fhir.Acknowledgements.Narratives;

namespace Integration.Fhir.Acknowledgements;

/// <summary>Builds MedCom Acknowledgement 2.0.3 messages shaped like MedCom's examples
/// (Bundle-a8c041b8… for ok, Bundle-bc9535ef… for fatal-error).</summary>
internal sealed class AcknowledgementFactory : IAcknowledgementFactory
{
    public BuiltAcknowledgement Create(AcknowledgementRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Validate(request);

        var bundleId = NewId();
        var headerId = NewId();
        var sender = BuildOrganization(request.From);
        var receiver = BuildOrganization(request.To);
        var outcome = request.Code == AcknowledgementCode.Ok ? null : BuildOperationOutcome(request.Issues);
        var header = BuildHeader(request, headerId, sender, receiver, outcome);
        var provenance = BuildProvenance(request, headerId, sender);

        var bundle = new Bundle
        {
            Id = bundleId,
            Meta = new Meta { Profile = [MedComUrls.AcknowledgementBundleProfile] },
            Type = Bundle.BundleType.Message,
            Timestamp = request.CreatedAt,
        };
        // Entry order as in MedCom's examples: header, provenance, organisations, then the OperationOutcome.
        foreach (var resource in new Resource?[] { header, provenance, sender, receiver, outcome })
        {
            if (resource is not null)
            {
                bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = FullUrl(resource), Resource = resource });
            }
        }

        return new BuiltAcknowledgement(bundleId, headerId, FhirJsonSerializer.Default.SerializeToString(bundle));
    }

    private static void Validate(AcknowledgementRequest request)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request.RespondsToMessageHeaderId);
        ArgumentNullException.ThrowIfNull(request.From);
        ArgumentNullException.ThrowIfNull(request.To);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.FromEndpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ToEndpoint);
        ArgumentNullException.ThrowIfNull(request.Issues);
        if (request.Code != AcknowledgementCode.Ok && request.Issues.Count == 0)
        {
            throw new ArgumentException("An acknowledgement other than ok must carry at least one issue.", nameof(request));
        }
    }

    private static MessageHeader BuildHeader(AcknowledgementRequest request, string headerId,
        Organization sender, Organization receiver, OperationOutcome? outcome)
    {
        var destination = new MessageHeader.MessageDestinationComponent
        {
            Endpoint = request.ToEndpoint,
            Receiver = Reference(receiver),
        };
        destination.Extension.Add(new Extension(MedComUrls.DestinationUseExtension,
            new Coding(MedComUrls.DestinationUseCodes, MedComUrls.PrimaryDestination)));

        var header = new MessageHeader
        {
            Id = headerId,
            Meta = new Meta { Profile = [MedComUrls.AcknowledgementHeaderProfile] },
            Event = new Coding(MedComUrls.EventCodes, MedComUrls.AcknowledgementEvent),
            Destination = [destination],
            Sender = Reference(sender),
            Source = new MessageHeader.MessageSourceComponent { Endpoint = request.FromEndpoint },
            Response = new MessageHeader.ResponseComponent
            {
                Identifier = request.RespondsToMessageHeaderId,
                Code = request.Code switch
                {
                    AcknowledgementCode.Ok => MessageHeader.ResponseType.Ok,
                    AcknowledgementCode.TransientError => MessageHeader.ResponseType.TransientError,
                    _ => MessageHeader.ResponseType.FatalError,
                },
                Details = outcome is null ? null : Reference(outcome),
            },
        };
        header.Text = Generated(HeaderNarrative(request));
        return header;
    }

    /// <summary>The Provenance of the acknowledgement itself. agent.who is the acknowledging organisation (the
    /// profile: "the messaging organization performing the activity"); MedCom's example names the other one,
    /// which contradicts that rule.</summary>
    private static Provenance BuildProvenance(AcknowledgementRequest request, string headerId, Organization sender)
    {
        var provenance = new Provenance
        {
            Id = NewId(),
            Meta = new Meta { Profile = [MedComUrls.MessagingProvenanceProfile] },
            Target = [new ResourceReference($"MessageHeader/{headerId}")],
            Occurred = new FhirDateTime(request.CreatedAt),
            Recorded = request.CreatedAt,
            Activity = new CodeableConcept(MedComUrls.ActivityCodes, MedComUrls.AcknowledgementActivity),
            Agent = [new Provenance.AgentComponent { Who = Reference(sender) }],
            Entity =
            [
                new Provenance.EntityComponent
                {
                    Role = Provenance.ProvenanceEntityRole.Revision,
                    What = new ResourceReference($"MessageHeader/{request.RespondsToMessageHeaderId}"),
                },
            ],
        };
        provenance.Text = Generated(ProvenanceNarrative(request));
        return provenance;
    }

    /// <summary>Identifiers that are unknown are left out: a message whose receiver cannot be identified is still
    /// answered (with MSG_Receiver_Identifier_MISSING). FHIR's org-1 rule (an identifier or a name) is kept with a
    /// placeholder name in that case.</summary>
    private static Organization BuildOrganization(OrganizationIdentity identity)
    {
        var organization = new Organization
        {
            Id = NewId(),
            Meta = new Meta { Profile = [MedComUrls.MessagingOrganizationProfile] },
            Name = !string.IsNullOrWhiteSpace(identity.Name) ? identity.Name
                : identity.Ean is null && identity.Sor is null ? "Unidentified organisation"
                : null,
        };
        if (identity.Ean is not null)
        {
            organization.Identifier.Add(new Identifier(MedComUrls.GlnSystem, identity.Ean));
        }

        if (identity.Sor is not null)
        {
            organization.Identifier.Add(new Identifier(MedComUrls.SorSystem, identity.Sor));
        }

        organization.Text = Generated(OrganizationNarrative(identity));
        return organization;
    }

    private static OperationOutcome BuildOperationOutcome(IReadOnlyList<MedComIssue> issues)
    {
        var outcome = new OperationOutcome
        {
            Id = NewId(),
            Meta = new Meta { Profile = [MedComUrls.AcknowledgementOperationOutcomeProfile] },
        };
        foreach (var issue in issues)
        {
            var component = new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Error,
                Code = IssueTypeFor(issue.Code),
                Details = new CodeableConcept
                {
                    Coding = [new Coding(CodeSystemFor(issue.Code), issue.Code)],
                    Text = string.IsNullOrWhiteSpace(issue.Text) ? null : issue.Text,
                },
                // The broken rule's name (e.g. hub-ean-check-digit, medcom-careCommunication-6): with the code and the
                // path the sender can find the rule in MedCom's profiles or the hub's documentation.
                Diagnostics = string.IsNullOrWhiteSpace(issue.Rule) ? null : issue.Rule,
            };
            if (!string.IsNullOrWhiteSpace(issue.Path))
            {
                component.ExpressionElement.Add(new FhirString(issue.Path));
            }

            outcome.Issue.Add(component);
        }

        outcome.Text = Generated(OperationOutcomeNarrative(issues));
        return outcome;
    }

    /// <summary>Issue types as in MedCom's examples: structure for MSG_VALUESET_VALUE_UNKNOWN (Bundle-bc9535ef…),
    /// value for MSG_Mailbox_Out_Of_Operation (Ack test example 3.3.3.6); the others by analogy.</summary>
    private static OperationOutcome.IssueType IssueTypeFor(string code) => code switch
    {
        MedComIssueCodes.ValueSetValueUnknown or MedComIssueCodes.CodeSystemValueUnknown
            or MedComIssueCodes.DatatypeWrong or MedComIssueCodes.DamagedDuringTransport
            => OperationOutcome.IssueType.Structure,
        MedComIssueCodes.ReceiverIdentifierUnknown or MedComIssueCodes.ReceiverIdentifierMissing
            or MedComIssueCodes.ReceiverUnableToReceiveMessageType or MedComIssueCodes.ElementTooLong
            or MedComIssueCodes.MailboxOutOfOperation
            => OperationOutcome.IssueType.Value,
        _ => OperationOutcome.IssueType.Invalid,
    };

    /// <summary>MedCom's issue-details ValueSet combines MedCom's own codes with HL7's operation-outcome codes.</summary>
    private static string CodeSystemFor(string code) =>
        MedComIssueCodes.IsMedComCode(code) ? MedComUrls.AcknowledgementErrorCodes : MedComUrls.Hl7OperationOutcomeCodes;

    private static ResourceReference Reference(Resource resource) => new($"{resource.TypeName}/{resource.Id}");

    private static string FullUrl(Resource resource) =>
        $"{MedComUrls.AcknowledgementFullUrlBase}{resource.TypeName}/{resource.Id}";

    private static string NewId() => Guid.CreateVersion7().ToString("D");
}
