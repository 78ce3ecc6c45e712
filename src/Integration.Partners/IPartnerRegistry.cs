namespace Integration.Partners;

public interface IPartnerRegistry
{
    IReadOnlyList<Partner> All { get; }

    /// <summary>Municipality codes that have at least one unit in the registry: each gets its own queue.</summary>
    IReadOnlyList<string> MunicipalityCodes { get; }

    Partner? FindById(string partnerId);

    /// <summary>Finds the organisation a message names. SOR is the more specific key (one EAN may cover several
    /// SOR units); EAN alone matches only when it is unambiguous.</summary>
    Partner? Find(string? ean, string? sor);
}
