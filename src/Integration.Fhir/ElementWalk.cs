using Hl7.Fhir.Model;

namespace Integration.Fhir;

/// <summary>What <see cref="ElementWalk.Run"/> does after visiting a node.</summary>
internal enum WalkOn { IntoElements, PastElements, Stop }

/// <summary>
/// Visits a resource and every element below it, depth first, over the POCOs themselves: no ElementModel nodes, and a
/// node's path (<c>Bundle.entry[0].resource.period.start</c>, an index only for repeating elements) is spelled out only
/// when asked for. The hub's own checks walk every message this way; the allocations of the general-purpose walks were
/// a measurable part of the hub's (docs/performance.md).
/// </summary>
internal static class ElementWalk
{
    public static void Run(Base root, Func<Base, ElementPath, WalkOn> visit)
    {
        var steps = new List<ElementPath.Step> { new(-1, root.TypeName, -1) };
        var pending = new Stack<(Base Node, int Step)>();
        pending.Push((root, 0));
        while (pending.Count > 0)
        {
            var (node, step) = pending.Pop();
            switch (visit(node, new ElementPath(steps, step)))
            {
                case WalkOn.Stop:
                    return;
                case WalkOn.PastElements:
                    continue;
            }

            foreach (var (name, value) in node.EnumerateElements())
            {
                if (value is Base child)
                {
                    steps.Add(new ElementPath.Step(step, name, -1));
                    pending.Push((child, steps.Count - 1));
                }
                else if (value is IEnumerable<Base> children)
                {
                    var index = 0;
                    foreach (var item in children)
                    {
                        steps.Add(new ElementPath.Step(step, name, index++));
                        pending.Push((item, steps.Count - 1));
                    }
                }
            }
        }
    }
}

/// <summary>Where a node of an <see cref="ElementWalk"/> is; <see cref="ToString"/> spells it out.</summary>
internal readonly struct ElementPath
{
    private readonly List<Step> _steps;
    private readonly int _at;

    internal ElementPath(List<Step> steps, int at)
    {
        _steps = steps;
        _at = at;
    }

    /// <summary>A node's place under its parent: <c>name</c>, or <c>name[index]</c> in a list (index ≥ 0).</summary>
    internal readonly record struct Step(int Parent, string Name, int Index);

    public override string ToString()
    {
        var names = new Stack<string>();
        for (var at = _at; at >= 0; at = _steps[at].Parent)
        {
            var (_, name, index) = _steps[at];
            names.Push(index >= 0 ? $"{name}[{index}]" : name);
        }

        return string.Join('.', names);
    }
}
