using Integration.Partners;
using Microsoft.Extensions.Logging;

namespace Integration.Municipal.Episodes;

/// <summary>
/// Which registry partner is the citizen's GP: told the episode's status as well as the plan's or referral's sender.
/// The plan or referral names the GP clinic by SOR (DK core Patient.generalPractitioner); a referral from a GP practice
/// that names none comes from the citizen's own GP.
/// </summary>
public sealed partial class CitizensGeneralPractice(IPartnerRegistry partners, ILogger<CitizensGeneralPractice> logger)
{
    /// <summary>The GP's partner id, or null when there is none the hub can address (an unknown GP is logged, the
    /// episode goes ahead without GP status).</summary>
    public string? PartnerIdFor(string? gpSor, string senderPartnerId, string messageHeaderId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(senderPartnerId);
        if (gpSor is null)
        {
            return partners.FindById(senderPartnerId) is { Kind: PartnerKind.GeneralPractice } sender ? sender.Id : null;
        }

        if (partners.Find(ean: null, sor: gpSor) is { Kind: PartnerKind.GeneralPractice } gp)
        {
            return gp.Id;
        }

        LogUnknownGp(logger, messageHeaderId, gpSor);
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{MessageId} names the citizen's GP by SOR {GpSor}, which is no GP practice in the partner registry: the episode's status goes to the sender only")]
    private static partial void LogUnknownGp(ILogger logger, string messageId, string gpSor);
}
