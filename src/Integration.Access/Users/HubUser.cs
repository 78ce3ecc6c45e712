using System.Text.Json;
using System.Text.Json.Serialization;

namespace Integration.Access.Users;

/// <summary>A person (or a service account) who may sign in to the dashboard or call the APIs.</summary>
public sealed record HubUser
{
    public required string Name { get; init; }
    public string? DisplayName { get; init; }
    /// <summary>One of <see cref="HubRoles"/>.</summary>
    public required string Role { get; init; }
    /// <summary>For municipal users: their kommunekode.</summary>
    public string? MunicipalityCode { get; init; }
    /// <summary>ASP.NET Core Identity's password hash (PBKDF2 with salt); null for accounts that only use an API key.</summary>
    public string? PasswordHash { get; init; }
    /// <summary>SHA-256 (hex) of the account's API key, for scripts and other systems; the key itself is never stored.</summary>
    public string? ApiKeySha256 { get; init; }
}

/// <summary>
/// The users file: a JSON document <c>{ "users": [ … ] }</c>. A file rather than a table because the hub's people are
/// few and change through the deployment's configuration management (docs/adr/0008-sign-in-and-roles.md).
/// </summary>
public static class UserFile
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static IReadOnlyList<HubUser> Load(string path)
    {
        using var stream = File.OpenRead(path);
        var users = JsonSerializer.Deserialize<UsersDocument>(stream, Options)?.Users
            ?? throw new InvalidDataException($"{path} has no \"users\".");
        foreach (var user in users)
        {
            if (user.Role is not (HubRoles.Operator or HubRoles.Municipal or HubRoles.Auditor))
            {
                throw new InvalidDataException($"User {user.Name} in {path} has the unknown role '{user.Role}'.");
            }

            if (user.Role == HubRoles.Municipal && string.IsNullOrEmpty(user.MunicipalityCode))
            {
                throw new InvalidDataException($"Municipal user {user.Name} in {path} has no municipalityCode.");
            }
        }

        return users;
    }

    private sealed record UsersDocument([property: JsonPropertyName("users")] List<HubUser>? Users);
}
