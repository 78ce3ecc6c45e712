namespace Integration.Partners;

/// <summary>What a reload of the partner file changed, by partner id.</summary>
public sealed record PartnerChanges(IReadOnlyList<string> Added, IReadOnlyList<string> Removed, IReadOnlyList<string> Changed)
{
    public bool Any => Added.Count + Removed.Count + Changed.Count > 0;

    public static PartnerChanges Between(IReadOnlyList<Partner> before, IReadOnlyList<Partner> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var old = before.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var now = after.ToDictionary(p => p.Id, StringComparer.Ordinal);
        return new PartnerChanges(
            [.. now.Keys.Where(id => !old.ContainsKey(id)).Order(StringComparer.Ordinal)],
            [.. old.Keys.Where(id => !now.ContainsKey(id)).Order(StringComparer.Ordinal)],
            [.. now.Where(p => old.TryGetValue(p.Key, out var was) && was != p.Value).Select(p => p.Key).Order(StringComparer.Ordinal)]);
    }
}

/// <summary>
/// The partner registry read from its file, read again when an operator asks (<see cref="Reload"/>): a partner added to
/// the file becomes known without a restart, so a message parked for an unknown receiver can be retried. A file that does
/// not load leaves the registry as it was. Lookups see either the old or the new registry, never a mix.
/// </summary>
public sealed class PartnerFileRegistry : IPartnerRegistry
{
    private readonly string _path;
    private readonly Lock _reloading = new();
    private volatile PartnerRegistry _current;

    public PartnerFileRegistry(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = path;
        _current = PartnerFile.Load(path);
    }

    public IReadOnlyList<Partner> All => _current.All;

    public IReadOnlyList<string> MunicipalityCodes => _current.MunicipalityCodes;

    public Partner? FindById(string partnerId) => _current.FindById(partnerId);

    public Partner? Find(string? ean, string? sor) => _current.Find(ean, sor);

    /// <exception cref="InvalidDataException">The file is not a valid registry; nothing changed.</exception>
    /// <exception cref="IOException">The file could not be read; nothing changed.</exception>
    public PartnerChanges Reload()
    {
        lock (_reloading)
        {
            PartnerRegistry loaded;
            try
            {
                loaded = PartnerFile.Load(_path);
            }
            catch (System.Text.Json.JsonException ex)
            {
                throw new InvalidDataException($"The partner file is not valid JSON: {ex.Message}", ex);
            }

            var changes = PartnerChanges.Between(_current.All, loaded.All);
            _current = loaded;
            return changes;
        }
    }
}
