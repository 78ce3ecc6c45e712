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
        return FindByKey(partners.All, p => p.ApiKeySha256, key);
    }

    /// <summary>
    /// The holder whose stored SHA-256 (hex) is that of <paramref name="key"/>, compared in constant time; null for a
    /// missing or unknown key. Shared by every kind of key holder (partner systems, users).
    /// </summary>
    public static T? FindByKey<T>(IEnumerable<T> holders, Func<T, string?> storedHash, string? key) where T : class
    {
        ArgumentNullException.ThrowIfNull(holders);
        ArgumentNullException.ThrowIfNull(storedHash);
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }

        var hash = Encoding.ASCII.GetBytes(Hash(key));
        return holders.FirstOrDefault(h => storedHash(h) is { Length: 64 } known
            && CryptographicOperations.FixedTimeEquals(hash, Encoding.ASCII.GetBytes(known.ToLowerInvariant())));
    }
}
