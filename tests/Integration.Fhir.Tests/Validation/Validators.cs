namespace Integration.Fhir.Tests.Validation;

/// <summary>The validators under test: built-in rules only, and with MedCom's packages (MedCom.Root + "/packages").
/// Loaded once per test run; the validator is thread-safe.</summary>
internal static class Validators
{
    private static readonly Lazy<LoadedValidator> Packaged = new(() => FhirServices.LoadValidator(PackagesFolder));

    public static string PackagesFolder => MedCom.PathOf("packages");

    public static IMessageValidator BuiltIn { get; } = FhirServices.CreateValidator(null);

    public static IMessageValidator WithPackages => Packaged.Value.Validator;

    public static ValidatorDescription PackagesDescription => Packaged.Value.Description;

    public static IMessageValidator Get(bool withPackages) => withPackages ? WithPackages : BuiltIn;

    /// <summary>One line per issue: severity, rule, code and path. Texts never carry values, but stay out anyway.</summary>
    public static string Describe(ValidationReport report) =>
        string.Join(Environment.NewLine, report.Issues.Select(i => $"{i.Severity} {i.Rule} {i.MedComCode} at {i.Path}"));
}
