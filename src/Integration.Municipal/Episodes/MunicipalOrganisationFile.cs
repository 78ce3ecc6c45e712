using System.Text.Json;
using Integration.Partners;
using Integration.Rehabilitation;

namespace Integration.Municipal.Episodes;

/// <summary>
/// Reads how each municipality organises rehabilitation (deploy/embedded/municipal-organisation.json): organisation
/// model, lead unit, exceptions per training level or referral programme, coordinator. Levels and programmes may be
/// written as the messages' codes (<c>almen-basal</c>, <c>home-nursing</c>) or as the enum names. Every unit must be one of
/// that municipality's units in the partner registry, because the unit signs the episode's status messages: a file that
/// breaks this stops the hub at start rather than silencing status later.
/// </summary>
public static class MunicipalOrganisationFile
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip };

    public static ResponsibilityPolicies Load(string path, IPartnerRegistry partners)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(partners);
        Document? document;
        using (var stream = File.OpenRead(path))
        {
            document = JsonSerializer.Deserialize<Document>(stream, Options);
        }

        var entries = document?.Municipalities ?? throw Invalid(path, "it has no \"municipalities\" list");
        var policies = entries.Select(entry => Policy(entry, partners, path)).ToList();
        if (policies.GroupBy(p => p.MunicipalityCode, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw Invalid(path, $"municipality {twice.Key} is listed more than once");
        }

        return new ResponsibilityPolicies(policies);
    }

    private static ResponsibilityPolicy Policy(Entry entry, IPartnerRegistry partners, string path)
    {
        if (entry.MunicipalityCode is not { Length: 3 } code || !code.All(char.IsAsciiDigit))
        {
            throw Invalid(path, $"'{entry.MunicipalityCode}' is not a kommunekode (three digits)");
        }

        return new ResponsibilityPolicy
        {
            MunicipalityCode = code,
            Model = Parse<OrganisationModel>(entry.OrganisationModel, $"municipality {code}: organisation model", path),
            LeadUnit = Unit(entry.LeadUnit, code, partners, path),
            UnitByLevel = (entry.UnitByLevel ?? new Dictionary<string, string>()).ToDictionary(
                e => Parse<TrainingLevel>(e.Key, $"municipality {code}: training level", path), e => Unit(e.Value, code, partners, path)),
            UnitByProgramme = (entry.UnitByProgramme ?? new Dictionary<string, string>()).ToDictionary(
                e => Parse<ReferralProgramme>(e.Key, $"municipality {code}: referral programme", path), e => Unit(e.Value, code, partners, path)),
            Coordinator = string.IsNullOrWhiteSpace(entry.Coordinator) ? null : entry.Coordinator.Trim(),
        };
    }

    private static string Unit(string? partnerId, string municipalityCode, IPartnerRegistry partners, string path) =>
        partnerId is not null && partners.FindById(partnerId) is { Kind: PartnerKind.Municipality } unit && unit.MunicipalityCode == municipalityCode
            ? unit.Id
            : throw Invalid(path, $"municipality {municipalityCode}: unit '{partnerId}' is not one of its units in the partner registry");

    /// <summary>An enum value by name, case and hyphens ignored (<c>almen-basal</c> = <c>AlmenBasal</c>); numbers are refused.</summary>
    private static TEnum Parse<TEnum>(string? text, string what, string path) where TEnum : struct, Enum
    {
        var name = text?.Replace("-", "", StringComparison.Ordinal);
        return Enum.GetNames<TEnum>().FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) is { } known
            ? Enum.Parse<TEnum>(known)
            : throw Invalid(path, $"{what} '{text}' is not one of {string.Join(", ", Enum.GetNames<TEnum>())}");
    }

    private static InvalidDataException Invalid(string path, string problem) => new($"The organisation file {path}: {problem}.");

    private sealed record Document(IReadOnlyList<Entry>? Municipalities);

    private sealed record Entry(
        string? MunicipalityCode,
        string? OrganisationModel,
        string? LeadUnit,
        IReadOnlyDictionary<string, string>? UnitByLevel,
        IReadOnlyDictionary<string, string>? UnitByProgramme,
        string? Coordinator);
}
