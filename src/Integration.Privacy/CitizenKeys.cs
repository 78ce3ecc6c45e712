using System.Security.Cryptography;
using System.Text;

namespace Integration.Privacy;

/// <summary>
/// Turns a CPR number into a stable pseudonym (keyed HMAC-SHA256): safe for logs, partition keys and joins,
/// useless to anyone without the key. The key is configuration (Privacy:CitizenKeySecret).
/// </summary>
public sealed class CitizenKeys(string secret)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(
        string.IsNullOrEmpty(secret) ? throw new ArgumentException("The citizen key secret is empty.", nameof(secret)) : secret);

    /// <summary>A 24-hex-character pseudonym of the CPR; "anonymous" when there is none.</summary>
    public string For(string? cpr)
    {
        if (string.IsNullOrWhiteSpace(cpr))
        {
            return "anonymous";
        }

        var digits = Cpr.Normalize(cpr);
        var mac = HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(digits));
        return Convert.ToHexStringLower(mac.AsSpan(0, 12));
    }
}
