using System.Collections.Concurrent;
using System.Collections.Frozen;
using Hl7.Fhir.ElementModel;
using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;
using Hl7.FhirPath;
using Hl7.FhirPath.Expressions;

namespace Integration.Fhir.Validation.Packages;

/// <summary>The rules loaded from MedCom's profile packages: per message type, the invariants and required bindings of
/// the profiles in <see cref="MessageProfiles"/>, compiled once. Thread-safe: evaluation shares only compiled
/// expressions and immutable code sets.</summary>
internal sealed class PackageRules
{
    private readonly FrozenDictionary<MessageKind, IReadOnlyList<CompiledProfile>> profiles;
    private readonly PackageTerminology terminology;
    private readonly CompiledExpression entryResources;
    private readonly CompiledExpression messagingOrganizations;
    private readonly Action<SkippedConstraint>? onRuntimeFailure;
    private readonly ConcurrentDictionary<string, byte> reportedFailures = new(StringComparer.Ordinal);
    private readonly bool nativeForms;

    private PackageRules(FrozenDictionary<MessageKind, IReadOnlyList<CompiledProfile>> profiles, PackageTerminology terminology,
        FhirPathCompiler compiler, Action<SkippedConstraint>? onRuntimeFailure, bool nativeForms)
    {
        this.profiles = profiles;
        this.nativeForms = nativeForms;
        this.terminology = terminology;
        this.onRuntimeFailure = onRuntimeFailure;
        entryResources = compiler.Compile("entry.resource");
        messagingOrganizations = compiler.Compile(
            "entry[0].resource.sender.resolve() | entry[0].resource.destination.receiver.resolve()");
    }

    /// <summary>Loads the packages of a folder and compiles the rules of the profiles the hub uses.</summary>
    /// <param name="nativeInvariants">Run the C# forms of ADR 0014 (<see cref="NativeInvariants"/>,
    /// <see cref="MessagingOrganizations"/>) where they decide; false runs all of it with Firely's FHIRPath engine.</param>
    public static (PackageRules Rules, ValidatorDescription Description) Load(string folder, Action<SkippedConstraint>? onRuntimeFailure,
        bool nativeInvariants = true)
    {
        var (packages, readProblems) = FhirPackage.ReadFolder(folder);
        var problems = readProblems.ToList();
        var terminologyPackage = packages
            .Where(p => p.Name == MessageProfiles.Terminology)
            .MaxBy(p => ParseVersion(p.Version));
        if (terminologyPackage is null)
        {
            problems.Add($"No {MessageProfiles.Terminology} package: MedCom ValueSets are not checked from packages.");
        }

        var terminology = new PackageTerminology(terminologyPackage);
        var compiler = new FhirPathCompiler(new SymbolTable().AddStandardFP().AddFhirExtensions());
        var skipped = new List<SkippedConstraint>();
        var loaded = new List<LoadedProfileRules>();
        var byKind = new Dictionary<MessageKind, IReadOnlyList<CompiledProfile>>();
        foreach (var (kind, uses) in MessageProfiles.Uses)
        {
            var compiled = new List<CompiledProfile>();
            foreach (var use in uses)
            {
                var package = packages.FirstOrDefault(p => p.Name == use.Package && p.Version == use.Version);
                if (package is null || !package.StructureDefinitions.TryGetValue(use.ProfileId, out var structureDefinition))
                {
                    problems.Add($"{use.ProfileId} ({use.PackageId}) is not in the packages folder: its rules are not checked.");
                    continue;
                }

                // The same profile serves several message types; compile (and report skips) once per message type only.
                var profile = ProfileCompiler.Compile(use, structureDefinition, terminology, compiler, skipped, nativeInvariants);
                compiled.Add(profile);
                loaded.Add(new LoadedProfileRules(MessageProfiles.Name(kind), profile.Url, use.PackageId,
                    profile.Invariants.Count, profile.Bindings.Count, profile.Invariants.Count(i => i.Native is not null)));
            }

            byKind[kind] = compiled;
        }

        var description = new ValidatorDescription
        {
            PackagesFolder = folder,
            Packages = [.. packages.Select(p => p.Id)],
            Profiles = loaded,
            Skipped = [.. skipped.DistinctBy(s => (s.Profile, s.Key, s.Expression))],
            Problems = problems,
        };
        return (new PackageRules(byKind.ToFrozenDictionary(), terminology, compiler, onRuntimeFailure, nativeInvariants), description);
    }

    public void Evaluate(MessageContext message, IssueList issues)
    {
        if (!profiles.TryGetValue(message.Kind, out var kindProfiles) || kindProfiles.Count == 0)
        {
            return;
        }

        var root = message.Root;
        var rootContext = Context(root, root);
        var resources = entryResources([root], rootContext).ToList();
        foreach (var profile in kindProfiles)
        {
            foreach (var target in Targets(profile.Use, message.Bundle, root, resources, rootContext))
            {
                var context = Context(target, root);
                foreach (var invariant in profile.Invariants)
                {
                    Evaluate(profile, invariant, target, context, issues);
                }

                foreach (var binding in profile.Bindings)
                {
                    Evaluate(profile, binding, target, context, issues);
                }
            }
        }
    }

    private IEnumerable<PocoNode> Targets(ProfileUse use, Bundle bundle, PocoNode root, List<PocoNode> resources, FhirEvaluationContext rootContext) =>
        use.Target switch
        {
            ProfileTarget.Bundle => [root],
            ProfileTarget.MessageHeader => resources.Take(1).Where(r => r.Poco is MessageHeader),
            ProfileTarget.MessagingOrganizations => (nativeForms ? MessagingOrganizations.Find(bundle, resources) : null)
                                                    ?? messagingOrganizations([root], rootContext).Where(r => r.Poco is Organization),
            _ => resources.Where(r => r.Poco is Resource resource && resource.TypeName == use.ResourceType),
        };

    private void Evaluate(CompiledProfile profile, CompiledInvariant invariant, PocoNode target, FhirEvaluationContext context, IssueList issues)
    {
        try
        {
            IEnumerable<PocoNode> focus = invariant.Focus is null ? [target] : invariant.Focus([target], context).ToList();
            foreach (var node in focus)
            {
                if (!(invariant.Native?.Invoke(node.Poco) ?? invariant.Check.Predicate(node, context)))
                {
                    issues.Add(new ValidationIssue(invariant.Severity, invariant.Key, PathOf(node), "MSG_BAD_FORMAT",
                        $"{invariant.Human} ({profile.Use.ProfileId})"));
                }
            }
        }
#pragma warning disable CA1031 // An invariant that throws must not reject the message (nor stop the others): reported once.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ReportOnce(profile, invariant.Key, invariant.Expression, ex);
        }
    }

    private void Evaluate(CompiledProfile profile, CompiledBinding binding, PocoNode target, FhirEvaluationContext context, IssueList issues)
    {
        try
        {
            foreach (var node in binding.Focus([target], context))
            {
                if (Check(binding.ValueSet, node.Poco) is { } code)
                {
                    issues.Add(new ValidationIssue(binding.Severity, binding.Key, PathOf(node), code,
                        $"The code is not in ValueSet {binding.ValueSet.Name}, which {profile.Use.ProfileId} requires for {binding.ElementId}."));
                }
            }
        }
#pragma warning disable CA1031 // As for invariants: a binding that cannot be evaluated never rejects a message.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ReportOnce(profile, binding.Key, binding.ValueSet.Url, ex);
        }
    }

    /// <summary>Null when the value is in the ValueSet; else the issue code: MSG_CodeSystem_VALUE_UNKNOWN when the code is
    /// not even in its (MedCom) code system, MSG_VALUESET_VALUE_UNKNOWN otherwise.</summary>
    private string? Check(ExpandedValueSet valueSet, Base value)
    {
        List<(string? System, string? Code)>? codings = value switch
        {
            Coding coding => [(coding.System, coding.Code)],
            CodeableConcept concept => concept.Coding.Select(c => (c.System, c.Code)).ToList(),
            PrimitiveType primitive => [((string?)null, primitive.ToString())],
            _ => null,
        };
        if (codings is null || codings.Any(c => valueSet.Contains(c.System, c.Code)))
        {
            return null;
        }

        return codings.Any(c => terminology.IsOutsideKnownCodeSystem(c.System, c.Code))
            ? MedComIssueCodes.CodeSystemValueUnknown
            : MedComIssueCodes.ValueSetValueUnknown;
    }

    private void ReportOnce(CompiledProfile profile, string key, string expression, Exception ex)
    {
        if (reportedFailures.TryAdd(profile.Url + "|" + key, 0))
        {
            onRuntimeFailure?.Invoke(new SkippedConstraint(profile.Url, key, expression,
                $"Evaluation failed ({ex.GetType().Name}); the rule does not reject messages it cannot evaluate."));
        }
    }

    private FhirEvaluationContext Context(PocoNode resource, PocoNode root) => new()
    {
        Resource = resource,
        RootResource = root,
        TerminologyService = terminology,
    };

    private static string PathOf(PocoNode node) => ((IShortPathGenerator)node).ShortPath;

    private static Version ParseVersion(string version) =>
        Version.TryParse(version.Split('-')[0], out var parsed) ? parsed : new Version(0, 0);
}
