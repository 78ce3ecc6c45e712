using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Hl7.FhirPath;

namespace Integration.Fhir.Validation.Packages;

/// <summary>A MedCom invariant ready to run: where it sits (the focus expression from the resource, null for the resource
/// itself), its compiled FHIRPath, and its C# form where <see cref="NativeInvariants"/> has one.</summary>
internal sealed record CompiledInvariant(string Key, ValidationSeverity Severity, string Human, string Expression,
    string ElementId, CompiledExpression? Focus, CompiledExpression Check, NativeInvariant? Native = null);

/// <summary>A required binding to a MedCom ValueSet.</summary>
internal sealed record CompiledBinding(string ElementId, ExpandedValueSet ValueSet, ValidationSeverity Severity, CompiledExpression Focus)
{
    public string Key => "binding:" + ElementId;
}

internal sealed record CompiledProfile(ProfileUse Use, string Url, IReadOnlyList<CompiledInvariant> Invariants, IReadOnlyList<CompiledBinding> Bindings);

/// <summary>Takes the MedCom constraints and required bindings out of a StructureDefinition's snapshot and compiles them.
/// FHIR's own constraints (ele-1, dom-*, bdl-*, txt-*, …) are left out: without hl7.fhir.r4.core their meaning is the
/// strict parser's business. Anything that cannot be evaluated is returned as skipped, with the reason.</summary>
internal static partial class ProfileCompiler
{
    private const string FhirBaseDefinitions = "http://hl7.org/fhir/StructureDefinition/";

    /// <summary>Bindings the hub deliberately relaxes to warnings. MedCom binds the acknowledgement issue details as
    /// required, yet its governance allows self-defined issue descriptions.</summary>
    private static readonly Dictionary<string, ValidationSeverity> RelaxedBindings = new(StringComparer.Ordinal)
    {
        ["OperationOutcome.issue.details.coding"] = ValidationSeverity.Warning,
    };

    /// <param name="nativeInvariants">Use the C# form of an invariant where there is one (the default); false evaluates
    /// every invariant with Firely's FHIRPath engine (the micro-benchmark's baseline).</param>
    public static CompiledProfile Compile(ProfileUse use, JsonObject structureDefinition, PackageTerminology terminology,
        FhirPathCompiler compiler, List<SkippedConstraint> skipped, bool nativeInvariants = true)
    {
        var url = (string?)structureDefinition["url"] ?? use.ProfileId;
        var elements = (structureDefinition["snapshot"]?["element"] ?? structureDefinition["differential"]?["element"]) as JsonArray ?? [];
        var invariants = new List<CompiledInvariant>();
        var bindings = new List<CompiledBinding>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var element in elements.OfType<JsonObject>())
        {
            var elementId = (string?)element["id"] ?? (string?)element["path"] ?? "";
            foreach (var constraint in (element["constraint"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (!IsBaseConstraint(constraint) && seen.Add(elementId + "|" + (string?)constraint["key"]))
                {
                    Add(CompileInvariant(url, elementId, constraint, terminology, compiler, skipped, nativeInvariants), invariants);
                }
            }

            if (element["binding"] is JsonObject binding)
            {
                Add(CompileBinding(url, elementId, binding, terminology, compiler, skipped), bindings);
            }
        }

        return new CompiledProfile(use, url, invariants, bindings);
    }

    private static void Add<T>(T? item, List<T> list) where T : class
    {
        if (item is not null)
        {
            list.Add(item);
        }
    }

    private static CompiledInvariant? CompileInvariant(string profile, string elementId, JsonObject constraint,
        PackageTerminology terminology, FhirPathCompiler compiler, List<SkippedConstraint> skipped, bool nativeInvariants)
    {
        var key = (string?)constraint["key"] ?? "(no key)";
        var expression = (string?)constraint["expression"];
        if (string.IsNullOrWhiteSpace(expression))
        {
            skipped.Add(new SkippedConstraint(profile, key, "", "The constraint has no FHIRPath expression."));
            return null;
        }

        if (!TryFocus(elementId, compiler, out var focus, out var whyNot))
        {
            skipped.Add(new SkippedConstraint(profile, key, expression, whyNot));
            return null;
        }

        foreach (Match memberOf in MemberOf().Matches(expression))
        {
            if (!terminology.TryGetValueSet(memberOf.Groups[1].Value, out _))
            {
                skipped.Add(new SkippedConstraint(profile, key, expression,
                    $"memberOf() names ValueSet {memberOf.Groups[1].Value}, which the terminology package does not define (or does not enumerate)."));
                return null;
            }
        }

        if (!TryCompile(compiler, expression, out var check, out whyNot))
        {
            skipped.Add(new SkippedConstraint(profile, key, expression, whyNot));
            return null;
        }

        var severity = string.Equals((string?)constraint["severity"], "warning", StringComparison.Ordinal)
            ? ValidationSeverity.Warning
            : ValidationSeverity.Error;
        var human = OneLine((string?)constraint["human"] ?? key);
        var native = nativeInvariants ? NativeInvariants.ByExpression.GetValueOrDefault(expression) : null;
        return new CompiledInvariant(key, severity, human, expression, elementId, focus, check, native);
    }

    private static CompiledBinding? CompileBinding(string profile, string elementId, JsonObject binding,
        PackageTerminology terminology, FhirPathCompiler compiler, List<SkippedConstraint> skipped)
    {
        var valueSetUrl = (string?)binding["valueSet"];
        if (!string.Equals((string?)binding["strength"], "required", StringComparison.Ordinal)
            || valueSetUrl is null
            || !valueSetUrl.Contains("medcomfhir.dk", StringComparison.Ordinal))
        {
            return null; // FHIR's own value sets are the strict parser's business
        }

        var key = "binding:" + elementId;
        if (!terminology.TryGetValueSet(valueSetUrl, out var valueSet))
        {
            skipped.Add(new SkippedConstraint(profile, key, valueSetUrl,
                "The ValueSet is not in the terminology package (or is not an enumerated list of codes)."));
            return null;
        }

        if (!TryFocus(elementId, compiler, out var focus, out var whyNot) || focus is null)
        {
            skipped.Add(new SkippedConstraint(profile, key, valueSetUrl, whyNot ?? "The binding sits on the resource itself."));
            return null;
        }

        var severity = RelaxedBindings.GetValueOrDefault(elementId, ValidationSeverity.Error);
        return new CompiledBinding(elementId, valueSet, severity, focus);
    }

    /// <summary>The FHIRPath from a resource to the element a rule sits on: <c>MessageHeader.event[x]</c> → <c>event</c>.
    /// Rules on slices (<c>payload:attachment.…</c>) would need the slice's discriminator: they are skipped.</summary>
    private static bool TryFocus(string elementId, FhirPathCompiler compiler, out CompiledExpression? focus, [NotNullWhen(false)] out string? whyNot)
    {
        focus = null;
        whyNot = null;
        if (elementId.Contains(':', StringComparison.Ordinal))
        {
            whyNot = $"It sits on a slice ({elementId}); slices are not resolved without a profile validator.";
            return false;
        }

        var dot = elementId.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return true;
        }

        var path = elementId[(dot + 1)..].Replace("[x]", "", StringComparison.Ordinal);
        return TryCompile(compiler, path, out focus, out whyNot);
    }

    private static bool TryCompile(FhirPathCompiler compiler, string expression,
        [NotNullWhen(true)] out CompiledExpression? compiled, [NotNullWhen(false)] out string? whyNot)
    {
        try
        {
            compiled = compiler.Compile(expression);
            whyNot = null;
            return true;
        }
#pragma warning disable CA1031 // Firely throws various exception types for expressions it cannot compile; none may stop the hub.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            compiled = null;
            whyNot = $"The FHIRPath does not compile with Firely's engine ({ex.GetType().Name}: {OneLine(ex.Message)}).";
            return false;
        }
    }

    /// <summary>FHIR's base constraints: defined in a core StructureDefinition, or keyed like <c>ele-1</c>, <c>txt-2</c>.</summary>
    private static bool IsBaseConstraint(JsonObject constraint) =>
        ((string?)constraint["source"])?.StartsWith(FhirBaseDefinitions, StringComparison.Ordinal) == true
        || BaseKey().IsMatch((string?)constraint["key"] ?? "");

    private static string OneLine(string text) => string.Join(' ', text.Split((char[])['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();

    [GeneratedRegex(@"memberOf\(\s*'([^']+)'\s*\)")]
    private static partial Regex MemberOf();

    [GeneratedRegex(@"^[a-z]{2,5}-\d+$")]
    private static partial Regex BaseKey();
}
