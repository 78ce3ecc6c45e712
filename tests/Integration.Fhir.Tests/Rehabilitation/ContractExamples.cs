using System.Text;
using System.Text.Json.Nodes;
using Integration.Fhir.Tests.Validation;
using static Integration.Fhir.Tests.Messages;

namespace Integration.Fhir.Tests.Rehabilitation;

/// <summary>The hub's own example messages in <c>contracts/examples</c> (our files, unlike MedCom's), found from the
/// repository root (the folder holding Integration.sln), loaded as JSON to be varied in memory.</summary>
internal sealed class ContractExamples
{
    public const string TrainingPlanNew = "training-plan-new.json";
    public const string TrainingPlanRevised = "training-plan-revised.json";
    public const string TrainingPlanCancelled = "training-plan-cancelled.json";
    public const string ReferralDiabetes = "referral-diabetes.json";
    public const string ReferralFreePhysiotherapy = "referral-free-physiotherapy.json";

    public static IReadOnlyList<string> TrainingPlans { get; } = [TrainingPlanNew, TrainingPlanRevised, TrainingPlanCancelled];

    public static IReadOnlyList<string> Referrals { get; } = [ReferralDiabetes, ReferralFreePhysiotherapy];

    private static readonly Lazy<string> Folder = new(Locate);

    private ContractExamples(JsonObject bundle) => Bundle = bundle;

    public JsonObject Bundle { get; }

    public static string PathOf(string fileName) => Path.Combine(Folder.Value, fileName);

    public static byte[] Bytes(string fileName) => File.ReadAllBytes(PathOf(fileName));

    public static ContractExamples Load(string fileName) =>
        new(JsonNode.Parse(File.ReadAllText(PathOf(fileName), Encoding.UTF8))!.AsObject());

    public string Json => Bundle.ToJsonString();

    public JsonObject Header => Entries(Bundle)[0]!["resource"]!.AsObject();

    public JsonObject Request => Single("ServiceRequest");

    public JsonObject Patient => Single("Patient");

    public JsonObject OwnProvenance => Messages.OwnProvenance(Bundle);

    public JsonObject Single(string type) => Resources(Bundle, type).Single();

    /// <summary><c>Bundle.entry[i].resource</c> of a resource of this Bundle.</summary>
    public string PathOf(JsonObject resource) => $"Bundle.entry[{EntryIndex(Bundle, resource)}].resource";

    public ValidationReport Validate(bool withPackages) => Validators.Get(withPackages).Validate(Json);

    private static string Locate()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Integration.sln")))
            {
                return Path.Combine(directory.FullName, "contracts", "examples");
            }
        }

        throw new DirectoryNotFoundException("Integration.sln not found above " + AppContext.BaseDirectory);
    }
}
