using System.Security.Cryptography;
using System.Text;

namespace Integration.Partners;

/// <summary>Which partner calls, by the API key its system sends. Only hashes are kept; comparison is constant-time.</summary>
public static class PartnerApiKeys
{
    public static string Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    public static Partner? FindCaller(this IPartnerRegistry partners, string? key)
    {
        ArgumentNullException.ThrowIfNull(partners);
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }

        var hash = Encoding.ASCII.GetBytes(Hash(key));
        return partners.All.FirstOrDefault(p => p.ApiKeySha256 is { Length: 64 } known
            && CryptographicOperations.FixedTimeEquals(hash, Encoding.ASCII.GetBytes(known.ToLowerInvariant())));
    }
}
