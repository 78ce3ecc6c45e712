using Integration.Partners;
using Microsoft.AspNetCore.Identity;

namespace Integration.Access.Users;

/// <summary>Finds users by name and password or by API key. Passwords are checked with ASP.NET Core Identity's hasher.</summary>
public sealed class UserDirectory(IReadOnlyList<HubUser> users)
{
    private readonly PasswordHasher<HubUser> _hasher = new();
    private readonly Dictionary<string, HubUser> _byName = users.ToDictionary(u => u.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Costs the same whether or not the user exists, so sign-in timing does not tell which names exist.</summary>
    public HubUser? SignIn(string? name, string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return null;
        }

        var user = name is null ? null : _byName.GetValueOrDefault(name);
        var hash = user?.PasswordHash ?? DummyHash.Value;
        var result = _hasher.VerifyHashedPassword(user ?? Nobody, hash, password);
        return user?.PasswordHash is not null && result != PasswordVerificationResult.Failed ? user : null;
    }

    public HubUser? FindByApiKey(string? key) => PartnerApiKeys.FindByKey(_byName.Values, u => u.ApiKeySha256, key);

    /// <summary>A hash for the users file (<c>Integration.Host hash-password</c>).</summary>
    public static string HashPassword(string password) => new PasswordHasher<HubUser>().HashPassword(Nobody, password);

    private static readonly HubUser Nobody = new() { Name = "-", Role = HubRoles.Auditor };
    private static readonly Lazy<string> DummyHash = new(() => HashPassword(Guid.NewGuid().ToString()));
}
