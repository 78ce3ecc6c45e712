namespace Integration.Partners;

/// <summary>An in-memory registry built from a list of partners (loaded from a file or a table).</summary>
public sealed class PartnerRegistry : IPartnerRegistry
{
    private readonly Dictionary<string, Partner> _byId;
    private readonly Dictionary<string, Partner> _bySor;
    private readonly ILookup<string, Partner> _byEan;

    public PartnerRegistry(IEnumerable<Partner> partners)
    {
        ArgumentNullException.ThrowIfNull(partners);
        All = [.. partners];
        _byId = All.ToDictionary(p => p.Id, StringComparer.Ordinal);
        _bySor = All.Where(p => !string.IsNullOrEmpty(p.Sor)).ToDictionary(p => p.Sor!, StringComparer.Ordinal);
        _byEan = All.Where(p => !string.IsNullOrEmpty(p.Ean)).ToLookup(p => p.Ean!, StringComparer.Ordinal);
        MunicipalityCodes = [.. All.Select(p => p.MunicipalityCode).OfType<string>().Distinct().Order(StringComparer.Ordinal)];
    }

    public IReadOnlyList<Partner> All { get; }

    public IReadOnlyList<string> MunicipalityCodes { get; }

    public Partner? FindById(string partnerId) => _byId.GetValueOrDefault(partnerId);

    public Partner? Find(string? ean, string? sor)
    {
        if (!string.IsNullOrEmpty(sor) && _bySor.TryGetValue(sor, out var bySor))
        {
            // A SOR and an EAN that belong to two different organisations is a contradiction, not a match.
            return string.IsNullOrEmpty(ean) || bySor.Ean is null || bySor.Ean == ean ? bySor : null;
        }

        if (!string.IsNullOrEmpty(ean))
        {
            var candidates = _byEan[ean].ToList();
            if (candidates.Count == 1 && (string.IsNullOrEmpty(sor) || candidates[0].Sor is null))
            {
                return candidates[0];
            }
        }

        return null;
    }
}
