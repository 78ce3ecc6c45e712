using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Terminology;

namespace Integration.Fhir.Validation.Packages;

/// <summary>The CodeSystems and ValueSets of MedCom's terminology package, expanded once into code sets. Serves required
/// bindings and FHIRPath <c>memberOf()</c> (as Firely's terminology service). Only enumerated ValueSets are expanded:
/// one with a filter, or including a code system the package does not define, is unknown here.</summary>
internal sealed class PackageTerminology : ICodeValidationTerminologyService
{
    private readonly FrozenDictionary<string, FrozenSet<string>> codeSystems;
    private readonly FrozenDictionary<string, ExpandedValueSet> valueSets;

    public PackageTerminology(FhirPackage? package)
    {
        Package = package;
        codeSystems = (package?.CodeSystems ?? new Dictionary<string, JsonObject>())
            .ToFrozenDictionary(cs => cs.Key, cs => Codes(cs.Value["concept"] as JsonArray).ToFrozenSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var expanded = new Dictionary<string, ExpandedValueSet>(StringComparer.Ordinal);
        foreach (var (url, valueSet) in package?.ValueSets ?? new Dictionary<string, JsonObject>())
        {
            if (Expand(valueSet) is { } codes)
            {
                expanded[url] = new ExpandedValueSet(url, (string?)valueSet["name"] ?? url, codes);
            }
        }

        valueSets = expanded.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The terminology package in use, or null.</summary>
    public FhirPackage? Package { get; }

    public bool TryGetValueSet(string canonical, out ExpandedValueSet valueSet) =>
        valueSets.TryGetValue(Canonical.WithoutVersion(canonical), out valueSet!);

    /// <summary>True when the package defines <paramref name="system"/> and it lacks <paramref name="code"/>.</summary>
    public bool IsOutsideKnownCodeSystem(string? system, string? code) =>
        system is not null && codeSystems.TryGetValue(system, out var codes) && (code is null || !codes.Contains(code));

    public Task<Parameters> ValueSetValidateCode(Parameters parameters, string? id = null, bool useGet = false)
    {
        var request = new ValidateCodeParameters(parameters);
        var url = request.Url?.Value ?? throw new NotSupportedException("memberOf() needs a ValueSet URL.");
        if (!TryGetValueSet(url, out var valueSet))
        {
            throw new NotSupportedException($"The ValueSet {url} is not in the terminology package.");
        }

        var member = request switch
        {
            { Coding: { } coding } => valueSet.Contains(coding.System, coding.Code),
            { CodeableConcept: { } concept } => concept.Coding.Any(c => valueSet.Contains(c.System, c.Code)),
            { Code: { } code } => valueSet.Contains(request.System?.Value, code.Value),
            _ => false,
        };
        var result = new Parameters();
        result.Add("result", new FhirBoolean(member));
        return System.Threading.Tasks.Task.FromResult(result);
    }

    public Task<Parameters> Subsumes(Parameters parameters, string? id = null, bool useGet = false) =>
        throw new NotSupportedException("Subsumption needs a terminology server.");

    private FrozenSet<(string System, string Code)>? Expand(JsonObject valueSet)
    {
        if (valueSet["compose"]?["include"] is not JsonArray includes)
        {
            return null;
        }

        var codes = new HashSet<(string, string)>();
        foreach (var include in includes.OfType<JsonObject>())
        {
            if (include["filter"] is not null || include["valueSet"] is not null || (string?)include["system"] is not { } system)
            {
                return null;
            }

            if (include["concept"] is JsonArray concepts)
            {
                codes.UnionWith(Codes(concepts).Select(c => (system, c)));
            }
            else if (codeSystems.TryGetValue(system, out var all))
            {
                codes.UnionWith(all.Select(c => (system, c)));
            }
            else
            {
                return null;
            }
        }

        if (valueSet["compose"]?["exclude"] is JsonArray excludes)
        {
            foreach (var exclude in excludes.OfType<JsonObject>())
            {
                if ((string?)exclude["system"] is { } system && exclude["concept"] is JsonArray concepts)
                {
                    codes.ExceptWith(Codes(concepts).Select(c => (system, c)));
                }
            }
        }

        return codes.ToFrozenSet();
    }

    /// <summary>Codes of a concept list, including nested concepts.</summary>
    private static IEnumerable<string> Codes(JsonArray? concepts)
    {
        foreach (var concept in concepts?.OfType<JsonObject>() ?? [])
        {
            if ((string?)concept["code"] is { } code)
            {
                yield return code;
            }

            foreach (var nested in Codes(concept["concept"] as JsonArray))
            {
                yield return nested;
            }
        }
    }
}

/// <summary>A ValueSet as the set of (system, code) pairs it contains.</summary>
internal sealed record ExpandedValueSet(string Url, string Name, FrozenSet<(string System, string Code)> Codes)
{
    /// <summary>A code without a system matches when the ValueSet has it in any system (FHIR code elements).</summary>
    public bool Contains(string? system, string? code) =>
        code is not null && (system is not null ? Codes.Contains((system, code)) : Codes.Any(c => string.Equals(c.Code, code, StringComparison.Ordinal)));
}
