using System.Text;
using Hl7.Fhir.Model;
using Integration.Fhir.Parsing;

namespace Integration.Fhir.Messaging;

/// <summary>
/// The first steps every reader of one MedCom message type takes: deserialise the FHIR JSON strictly, check it is a
/// message Bundle with its MessageHeader first, and that the header's event is the reader's type. Problems come back as
/// a <see cref="MedComIssue"/> (never an exception), because a hostile message must end in an ACK, not a crash.
/// </summary>
internal static class TypedMessageLoader
{
    private const string HeaderPath = "Bundle.entry[0].resource";

    /// <param name="kind">what the reader expects, for the issue text (e.g. "a HospitalNotification")</param>
    /// <returns>null when loaded; otherwise why not.</returns>
    public static MedComIssue? TryLoad(
        SafeFhirDeserializer deserializer, string fhirJson, string eventCode, string kind, out Bundle bundle, out MessageHeader header)
    {
        ArgumentNullException.ThrowIfNull(deserializer);
        ArgumentNullException.ThrowIfNull(fhirJson);
        bundle = null!;
        header = null!;
        // Cheap pre-check so that an oversized string is not copied before being rejected.
        if (fhirJson.Length > deserializer.Limits.MaxBodyBytes)
        {
            return new MedComIssue(MedComIssueCodes.DatatypeWrong, $"The message is larger than {deserializer.Limits.MaxBodyBytes} bytes.", null);
        }

        if (!deserializer.TryDeserialize(Encoding.UTF8.GetBytes(fhirJson), FhirFormat.Json, out var resource, out var failure))
        {
            return new MedComIssue(MedComIssueCodes.DatatypeWrong, failure.Reason, failure.Location);
        }

        return TryUse(resource, eventCode, kind, out bundle, out header);
    }

    /// <summary>The checks of <see cref="TryLoad"/> on a resource that is already parsed (ingress's Bundle).</summary>
    public static MedComIssue? TryUse(Resource resource, string eventCode, string kind, out Bundle bundle, out MessageHeader header)
    {
        bundle = null!;
        header = null!;
        if (resource is not Bundle { Type: Bundle.BundleType.Message } messageBundle
            || messageBundle.Entry.Count == 0
            || messageBundle.Entry[0].Resource is not MessageHeader { Id.Length: > 0 } messageHeader)
        {
            return new MedComIssue(MedComIssueCodes.DatatypeWrong,
                "The message is not a Bundle of type message with a MessageHeader (with an id) as its first entry.", HeaderPath);
        }

        if (messageHeader.Event is not Coding { Code: var code } || code != eventCode)
        {
            return new MedComIssue(MedComIssueCodes.ReceiverUnableToReceiveMessageType,
                $"The message is not {kind} (eventCoding must be {eventCode}).", HeaderPath + ".eventCoding");
        }

        (bundle, header) = (messageBundle, messageHeader);
        return null;
    }

    /// <summary>Runs a reader and turns any exception into an issue: errors, not exceptions.</summary>
    public static TResult Guarded<TResult>(Func<TResult> read, Func<MedComIssue, TResult> failed)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(failed);
        try
        {
            return read();
        }
#pragma warning disable CA1031 // Errors, not exceptions: a hostile message must end in an ACK, not a crash.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return failed(new MedComIssue(MedComIssueCodes.DatatypeWrong, $"The message could not be read ({ex.GetType().Name}).", null));
        }
    }
}
