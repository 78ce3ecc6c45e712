using System.Xml;
using Hl7.Fhir.Model;

namespace Integration.Fhir.Parsing;

/// <summary>Validates every narrative of a resource against FHIR's XHTML rules (no script, no event attributes,
/// no external references): receiving systems render narratives to users.</summary>
/// <remarks>Firely can do this during deserialization, but its schema validation is quadratic in nesting depth
/// (20,000 nested divs took 6 s), and in JSON a narrative is one string, out of reach of the reader's depth limit.
/// So the depth is bounded here first (from the tags, or with a streaming reader), and only then is the schema applied
/// (<see cref="NarrativeXhtml"/>: Firely's rules and schema, read as a stream).</remarks>
internal static class NarrativeCheck
{
    public static ParseFailure? Check(Resource root, int maxDepth)
    {
        ParseFailure? failure = null;
        ElementWalk.Run(root, (node, path) =>
        {
            if (node is XHtml div)
            {
                if (CheckDiv(div.Value, maxDepth) is { } reason)
                {
                    failure = new ParseFailure(reason, path.ToString());
                    return WalkOn.Stop;
                }

                return WalkOn.PastElements;
            }

            // A narrative is the div of a resource's Narrative; no other data type (primitives, extensions, codings, …)
            // can hold a Narrative or a resource, so their elements need not be visited: most nodes are such.
            return node is DataType and not Narrative ? WalkOn.PastElements : WalkOn.IntoElements;
        });
        return failure;
    }

    private static readonly XmlReaderSettings DepthReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
    };

    private static string? CheckDiv(string? xhtml, int maxDepth)
    {
        if (string.IsNullOrEmpty(xhtml))
        {
            return null; // Narrative.div is mandatory; the deserializer's cardinality check reports a missing one.
        }

        // The depth comes from the tags where it can (an XmlReader's buffers cost more than the whole check); the reader
        // reads the rest, and tells a malformed narrative from one FHIR does not allow.
        if ((DepthFromTags(xhtml) ?? DepthFromReader(xhtml, maxDepth)) is not { } depth)
        {
            return NotWellFormed;
        }

        if (depth > maxDepth)
        {
            return $"The narrative is nested deeper than {maxDepth} elements.";
        }

        if (NarrativeXhtml.IsValid(xhtml))
        {
            return null;
        }

        return DepthFromReader(xhtml, maxDepth) is null
            ? NotWellFormed
            : "The narrative is not valid FHIR XHTML (FHIR allows a subset of XHTML: no scripts, forms or event attributes).";
    }

    private const string NotWellFormed = "The narrative is not well-formed XHTML."; // never quotes it: it holds patient data

    /// <summary>
    /// The greatest <see cref="XmlReader.Depth"/> of any node, read from the tags alone: in well-formed XML without
    /// comments, CDATA, processing instructions or a DOCTYPE, every '&lt;' opens a start, end or empty-element tag, and
    /// attribute values hold no '&lt;'. Null when the text has any of those or does not look like tags: the reader decides.
    /// </summary>
    internal static int? DepthFromTags(string xhtml)
    {
        int open = 0, deepest = 0;
        for (var at = 0; at < xhtml.Length; at++)
        {
            if (xhtml[at] != '<')
            {
                deepest = Math.Max(deepest, open); // text (whitespace included) sits one below the open elements
                continue;
            }

            if (at + 1 >= xhtml.Length || xhtml[at + 1] is '!' or '?')
            {
                return null;
            }

            var end = EndOfTag(xhtml, at + 1);
            if (end < 0)
            {
                return null;
            }

            if (xhtml[at + 1] == '/')
            {
                if (--open < 0)
                {
                    return null;
                }
            }
            else
            {
                deepest = Math.Max(deepest, open); // the element itself sits at the depth of its open ancestors
                if (xhtml[end - 1] != '/')
                {
                    open++;
                }
            }

            at = end;
        }

        return open == 0 ? deepest : null;
    }

    /// <summary>The '&gt;' that closes the tag starting before <paramref name="from"/> (quoted attribute values skipped), or −1.</summary>
    private static int EndOfTag(string xhtml, int from)
    {
        var quote = '\0';
        for (var at = from; at < xhtml.Length; at++)
        {
            var c = xhtml[at];
            if (c == '<')
            {
                return -1; // not in a tag, not even in an attribute value
            }

            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '>')
            {
                return at;
            }
        }

        return -1;
    }

    /// <summary>The greatest depth an XmlReader sees, stopping once past <paramref name="maxDepth"/>; null when malformed.</summary>
    private static int? DepthFromReader(string xhtml, int maxDepth)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(xhtml), DepthReaderSettings);
            var deepest = 0;
            while (reader.Read())
            {
                deepest = Math.Max(deepest, reader.Depth);
                if (deepest > maxDepth)
                {
                    break;
                }
            }

            return deepest;
        }
        catch (XmlException)
        {
            return null; // its text may quote the narrative
        }
    }
}
