using System.Globalization;
using System.Net;
using System.Text;
using System.Xml;
using Hl7.Fhir.Model;

namespace Integration.Fhir.Acknowledgements;

/// <summary>Short generated narratives: MedCom requires resource text in every exchanged message.</summary>
internal static class Narratives
{
    public static Narrative Generated(string innerXhtml) => new()
    {
        Status = Narrative.NarrativeStatus.Generated,
        Div = Div(innerXhtml),
    };

    public static string Div(string innerXhtml) => $"<div xmlns=\"http://www.w3.org/1999/xhtml\">{innerXhtml}</div>";

    public static string HeaderNarrative(AcknowledgementRequest request) =>
        $"<p><b>Acknowledgement</b> ({Code(request.Code)}) of message {E(request.RespondsToMessageHeaderId)}</p>"
        + $"<p>From {Describe(request.From)} ({E(request.FromEndpoint)}) to {Describe(request.To)} ({E(request.ToEndpoint)})</p>";

    public static string ProvenanceNarrative(AcknowledgementRequest request) =>
        $"<p>Acknowledgement sent {E(request.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture))}"
        + $" by {Describe(request.From)}, answering message {E(request.RespondsToMessageHeaderId)}</p>";

    public static string OrganizationNarrative(OrganizationIdentity identity) => $"<p>{Describe(identity)}</p>";

    public static string OperationOutcomeNarrative(IEnumerable<MedComIssue> issues)
    {
        var html = new StringBuilder("<ul>");
        foreach (var issue in issues)
        {
            html.Append("<li>").Append(E(issue.Code));
            if (!string.IsNullOrWhiteSpace(issue.Rule))
            {
                html.Append(" [").Append(E(issue.Rule)).Append(']');
            }

            if (!string.IsNullOrWhiteSpace(issue.Text))
            {
                html.Append(": ").Append(E(issue.Text));
            }

            if (!string.IsNullOrWhiteSpace(issue.Path))
            {
                html.Append(" (").Append(E(issue.Path)).Append(')');
            }

            html.Append("</li>");
        }

        return html.Append("</ul>").ToString();
    }

    private static string Describe(OrganizationIdentity identity)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(identity.Name))
        {
            parts.Add(E(identity.Name));
        }

        if (!string.IsNullOrWhiteSpace(identity.Sor))
        {
            parts.Add("SOR " + E(identity.Sor));
        }

        if (!string.IsNullOrWhiteSpace(identity.Ean))
        {
            parts.Add("EAN " + E(identity.Ean));
        }

        return parts.Count > 0 ? string.Join(", ", parts) : "an unidentified organisation";
    }

    private static string Code(AcknowledgementCode code) => code switch
    {
        AcknowledgementCode.Ok => "ok",
        AcknowledgementCode.TransientError => "transient-error",
        _ => "fatal-error",
    };

    private static string E(string value) => WebUtility.HtmlEncode(XmlCharactersOnly(value));

    /// <summary>Characters XML cannot hold (controls other than tab and line breaks, lone surrogates, U+FFFE/F) replaced
    /// by U+FFFD: an issue text or a name may hold them, and a narrative with one is not XHTML, so the message carrying it
    /// would be invalid.</summary>
    internal static string XmlCharactersOnly(string value)
    {
        StringBuilder? text = null; // made only once a character has to be replaced: nearly every text is kept as it is
        for (var at = 0; at < value.Length; at++)
        {
            var pair = at + 1 < value.Length && XmlConvert.IsXmlSurrogatePair(value[at + 1], value[at]);
            if (pair || XmlConvert.IsXmlChar(value[at]))
            {
                text?.Append(value, at, pair ? 2 : 1);
                at += pair ? 1 : 0;
                continue;
            }

            (text ??= new StringBuilder(value.Length).Append(value, 0, at)).Append('\uFFFD');
        }

        return text?.ToString() ?? value;
    }
}
