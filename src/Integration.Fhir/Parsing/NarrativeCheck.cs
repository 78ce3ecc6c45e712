using System.Xml;
using Hl7.Fhir.Model;

namespace Integration.Fhir.Parsing;

/// <summary>Validates every narrative of a resource against FHIR's XHTML rules (no script, no event attributes,
/// no external references): receiving systems render narratives to users.</summary>
/// <remarks>Firely can do this during deserialization, but its schema validation is quadratic in nesting depth
/// (20,000 nested divs took 6 s), and in JSON a narrative is one string, out of reach of the reader's depth limit.
/// So the depth is bounded here first, with a streaming reader, and only then is the schema applied.</remarks>
internal static class NarrativeCheck
{
    public static ParseFailure? Check(Resource root, int maxDepth)
    {
        // Iterative walk over the whole tree: narratives sit in every DomainResource, including contained ones.
        var pending = new Stack<(Base Node, string Path)>();
        pending.Push((root, root.TypeName));
        while (pending.Count > 0)
        {
            var (node, path) = pending.Pop();
            if (node is XHtml div)
            {
                if (CheckDiv(div.Value, path, maxDepth) is { } failure)
                {
                    return failure;
                }

                continue;
            }

            foreach (var (name, value) in node.EnumerateElements())
            {
                if (value is Base child)
                {
                    pending.Push((child, $"{path}.{name}"));
                }
                else if (value is IEnumerable<Base> children)
                {
                    var index = 0;
                    foreach (var item in children)
                    {
                        pending.Push((item, $"{path}.{name}[{index++}]"));
                    }
                }
            }
        }

        return null;
    }

    private static ParseFailure? CheckDiv(string? xhtml, string path, int maxDepth)
    {
        if (string.IsNullOrEmpty(xhtml))
        {
            return null; // Narrative.div is mandatory; the deserializer's cardinality check reports a missing one.
        }

        try
        {
            using var reader = XmlReader.Create(new StringReader(xhtml), new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
            });
            while (reader.Read())
            {
                if (reader.Depth > maxDepth)
                {
                    return new ParseFailure($"The narrative is nested deeper than {maxDepth} elements.", path);
                }
            }
        }
        catch (XmlException)
        {
            // The exception's text may quote the narrative, which holds patient data: say where, not what.
            return new ParseFailure("The narrative is not well-formed XHTML.", path);
        }

        return XHtml.IsValidNarrativeXhtml(xhtml, out _, out _)
            ? null
            : new ParseFailure(
                "The narrative is not valid FHIR XHTML (FHIR allows a subset of XHTML: no scripts, forms or event attributes).",
                path);
    }
}
