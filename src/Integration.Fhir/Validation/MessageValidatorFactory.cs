using Integration.Fhir.Parsing;
using Integration.Fhir.Validation.Packages;
using Integration.Fhir.Validation.Rules;

namespace Integration.Fhir.Validation;

/// <summary>Builds the MedCom validator: the built-in rules, plus the rules of the profile packages in a folder.</summary>
internal static class MessageValidatorFactory
{
    public static LoadedValidator Load(string? packagesFolder, FhirParserLimits limits, Action<SkippedConstraint>? onRuntimeFailure,
        bool nativeInvariants = true)
    {
        var builtIn = HubRules.All.Select(r => new BuiltInRule(r.Name, r.MedComCode, r.Description)).ToList();
        var deserializer = new SafeFhirDeserializer(limits);
        if (string.IsNullOrWhiteSpace(packagesFolder))
        {
            return new LoadedValidator(new MessageValidator(deserializer, null), new ValidatorDescription { BuiltInRules = builtIn });
        }

        var (rules, description) = PackageRules.Load(Path.GetFullPath(packagesFolder), onRuntimeFailure, nativeInvariants);
        return new LoadedValidator(new MessageValidator(deserializer, rules), description with { BuiltInRules = builtIn });
    }
}
