using System.Xml;
using System.Xml.Schema;
using Hl7.Fhir.Utility;

namespace Integration.Fhir.Parsing;

/// <summary>
/// FHIR's rules for a narrative's XHTML, as Firely's <c>XHtml.IsValidNarrativeXhtml</c> applies them, in one streaming
/// pass: the root is an XHTML <c>div</c>, there is some non-whitespace text or an image, and the document is valid against
/// the same schemas (Firely's <see cref="SerializationUtil.BASEFHIRSCHEMAS"/>: fhir-xhtml.xsd), after the same
/// replacement of HTML entities (<see cref="SerializationUtil.SanitizeXml"/>). Firely loads an <c>XDocument</c> (with
/// line information) and validates the tree; under load that tree and its reader buffers were about a sixth of all the
/// hub's garbage. A test holds both to the same answer for every narrative in MedCom's examples and for broken ones.
/// The everyday narrative is proven valid in C# first (<see cref="NativeNarrativeXhtml"/>, ADR 0015); the schema
/// decides the rest.
/// </summary>
internal static class NarrativeXhtml
{
    private const string XhtmlNamespace = "http://www.w3.org/1999/xhtml";

    // No ValidationEventHandler: a schema violation throws, which ends the pass at the first one (only the yes/no is used).
    private static readonly XmlReaderSettings Settings = new()
    {
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        ValidationType = ValidationType.Schema,
        Schemas = SerializationUtil.BASEFHIRSCHEMAS.CompiledSchemas,
        ValidationFlags = XmlSchemaValidationFlags.AllowXmlAttributes | XmlSchemaValidationFlags.ProcessIdentityConstraints,
    };

    public static bool IsValid(string xhtml) => NativeNarrativeXhtml.ProvesValid(xhtml) || IsValidBySchema(xhtml);

    /// <summary>The schema's answer alone: what decides when the C# check does not prove a narrative valid.</summary>
    internal static bool IsValidBySchema(string xhtml)
    {
        ArgumentNullException.ThrowIfNull(xhtml);
        // SanitizeXml only rewrites entity references, and copies the text to do so.
        var text = xhtml.Contains('&', StringComparison.Ordinal) ? SerializationUtil.SanitizeXml(xhtml) : xhtml;
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), Settings);
            var atRoot = true;
            var hasContent = false;
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        if (atRoot && (reader.LocalName != "div" || reader.NamespaceURI != XhtmlNamespace))
                        {
                            return false;
                        }

                        atRoot = false;
                        hasContent |= reader.LocalName == "img";
                        break;
                    case XmlNodeType.Text or XmlNodeType.CDATA:
                        hasContent |= !string.IsNullOrWhiteSpace(reader.Value);
                        break;
                }
            }

            return hasContent;
        }
        catch (XmlSchemaException)
        {
            return false; // not what the schema allows (script, forms, event attributes, misplaced elements, …)
        }
        catch (XmlException)
        {
            return false; // not well-formed
        }
    }
}
