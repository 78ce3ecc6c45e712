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
        // A node's path is kept as a step (parent step, name, index) and spelled out only for a failure: building the
        // text for every node of every message cost more than the walk itself.
        var steps = new List<PathStep> { new(-1, root.TypeName, -1) };
        var pending = new Stack<(Base Node, int Step)>();
        pending.Push((root, 0));
        while (pending.Count > 0)
        {
            var (node, step) = pending.Pop();
            if (node is XHtml div)
            {
                if (CheckDiv(div.Value, maxDepth) is { } reason)
                {
                    return new ParseFailure(reason, PathOf(steps, step));
                }

                continue;
            }

            foreach (var (name, value) in node.EnumerateElements())
            {
                if (value is Base child)
                {
                    steps.Add(new PathStep(step, name, -1));
                    pending.Push((child, steps.Count - 1));
                }
                else if (value is IEnumerable<Base> children)
                {
                    var index = 0;
                    foreach (var item in children)
                    {
                        steps.Add(new PathStep(step, name, index++));
                        pending.Push((item, steps.Count - 1));
                    }
                }
            }
        }

        return null;
    }

    /// <summary>A node's place under its parent: <c>name</c>, or <c>name[index]</c> in a list (index ≥ 0).</summary>
    private readonly record struct PathStep(int Parent, string Name, int Index);

    private static string PathOf(List<PathStep> steps, int step)
    {
        var names = new Stack<string>();
        for (var at = step; at >= 0; at = steps[at].Parent)
        {
            var (_, name, index) = steps[at];
            names.Push(index >= 0 ? $"{name}[{index}]" : name);
        }

        return string.Join('.', names);
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

        try
        {
            using var reader = XmlReader.Create(new StringReader(xhtml), DepthReaderSettings);
            while (reader.Read())
            {
                if (reader.Depth > maxDepth)
                {
                    return $"The narrative is nested deeper than {maxDepth} elements.";
                }
            }
        }
        catch (XmlException)
        {
            // The exception's text may quote the narrative, which holds patient data: say where, not what.
            return "The narrative is not well-formed XHTML.";
        }

        return XHtml.IsValidNarrativeXhtml(xhtml, out _, out _)
            ? null
            : "The narrative is not valid FHIR XHTML (FHIR allows a subset of XHTML: no scripts, forms or event attributes).";
    }
}
