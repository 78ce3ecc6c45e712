using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Integration.Fhir.Parsing;
using Integration.Fhir.Validation.Packages;
using Integration.Fhir.Validation.Rules;

namespace Integration.Fhir.Validation;

/// <summary>MedCom validation of a parsed message: the built-in rules, then (when a packages folder is configured) the
/// invariants and required bindings of MedCom's profiles. Never throws for bad content; thread-safe.</summary>
internal sealed class MessageValidator(SafeFhirDeserializer deserializer, PackageRules? packageRules) : IMessageValidator
{
    // Only to run the MedCom rules on a body that strict parsing rejected: the report says both.
    private static readonly FhirJsonDeserializer Lenient =
        new(new DeserializerSettings().UsingMode(DeserializationMode.Recoverable));

    public ValidationReport Validate(string fhirJson)
    {
        ArgumentNullException.ThrowIfNull(fhirJson);
        return Run((builtIn, fromPackages) => ValidateCore(fhirJson, builtIn, fromPackages));
    }

    public ValidationReport Validate(ParsedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        // The parser read the Bundle strictly and checked that entry[0] is a MessageHeader; without its Bundle (a
        // message made elsewhere) the JSON is parsed as usual.
        return message.Bundle is { } bundle && bundle.Entry.Count > 0 && bundle.Entry[0].Resource is MessageHeader header
            ? Run((builtIn, fromPackages) => Check(new MessageContext(bundle, header), builtIn, fromPackages))
            : Validate(message.FhirJson);
    }

    private static ValidationReport Run(Action<IssueList, IssueList> validate)
    {
        var builtIn = new IssueList();
        var fromPackages = new IssueList();
        try
        {
            validate(builtIn, fromPackages);
        }
#pragma warning disable CA1031 // The contract is "never throws": a message the validator cannot handle is invalid.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            builtIn.Error(HubRules.StrictParse, "Bundle", $"The message could not be validated ({ex.GetType().Name}).");
        }

        var issues = builtIn.Items.Concat(fromPackages.Items.Where(p => !CoveredBy(builtIn.Items, p))).ToList();
        return issues.Count == 0 ? ValidationReport.Valid : new ValidationReport(issues);
    }

    private void ValidateCore(string fhirJson, IssueList builtIn, IssueList fromPackages)
    {
        if (fhirJson.Length > deserializer.Limits.MaxBodyBytes)
        {
            builtIn.Error(HubRules.StrictParse, "Bundle", $"The message is larger than {deserializer.Limits.MaxBodyBytes} bytes.");
            return;
        }

        var body = Encoding.UTF8.GetBytes(fhirJson);
        if (!deserializer.TryDeserialize(body, FhirFormat.Json, out var resource, out var failure))
        {
            builtIn.Error(HubRules.StrictParse, failure.Location ?? "Bundle", failure.Reason);
            resource = LenientParse(body);
        }

        if (resource is not Bundle { Type: Bundle.BundleType.Message } bundle
            || bundle.Entry.Count == 0
            || bundle.Entry[0].Resource is not MessageHeader header)
        {
            builtIn.Error(HubRules.HeaderFirst, "Bundle.entry[0].resource",
                "The message is not a Bundle of type message with a MessageHeader as its first entry.");
            return;
        }

        Check(new MessageContext(bundle, header), builtIn, fromPackages);
    }

    private void Check(MessageContext message, IssueList builtIn, IssueList fromPackages)
    {
        BuiltInRules.Check(message, builtIn);
        packageRules?.Evaluate(message, fromPackages);
    }

    private Resource? LenientParse(byte[] body)
    {
        try
        {
            var reader = new Utf8JsonReader(SafeFhirDeserializer.StripUtf8Bom(body),
                new JsonReaderOptions { MaxDepth = deserializer.Limits.MaxDepth });
            Lenient.TryDeserializeResource(ref reader, out var resource, out _);
            return resource;
        }
#pragma warning disable CA1031 // Best effort only: the strict failure is already reported.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    /// <summary>A package binding that finds a code a built-in rule already reported (on the same element or inside it)
    /// would only repeat it in the acknowledgement. Invariants are always kept: their rule names say something new.</summary>
    private static bool CoveredBy(IReadOnlyList<ValidationIssue> builtIn, ValidationIssue fromPackage) =>
        IsTerminologyCode(fromPackage.MedComCode)
        && builtIn.Any(b => IsTerminologyCode(b.MedComCode) && IsWithin(b.Path, fromPackage.Path));

    private static bool IsWithin(string path, string element) =>
        path.StartsWith(element, StringComparison.Ordinal) && (path.Length == element.Length || path[element.Length] is '.' or '[');

    private static bool IsTerminologyCode(string code) =>
        code is MedComIssueCodes.ValueSetValueUnknown or MedComIssueCodes.CodeSystemValueUnknown;
}
