using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Access;
using Integration.Partners;

namespace Integration.EndToEnd.Tests;

/// <summary>
/// The people tests act as, through the hub's real sign-in: the embedded users file plus one test user per role (and
/// per municipality for municipal users), each with an API key. <c>request.As("auditor")</c> or
/// <c>request.AsMunicipal("163")</c> sends that user's key.
/// </summary>
public static class TestUsers
{
    public static readonly IReadOnlyList<string> Municipalities = ["101", "163", "580", "851"];

    /// <summary>The user name the hub records (e.g. in the audit) for a principal: <c>operator</c> → <c>test-operator</c>.</summary>
    public static string UserName(string principal) => "test-" + principal.Replace(':', '-');

    public static HttpRequestMessage As(this HttpRequestMessage request, string principal)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Add(ApiKeyAuthenticationHandler.Header, Key(principal));
        return request;
    }

    public static HttpRequestMessage AsMunicipal(this HttpRequestMessage request, string municipalityCode) => As(request, $"{HubRoles.Municipal}:{municipalityCode}");

    /// <summary>A client whose every request acts as <paramref name="principal"/>.</summary>
    public static HttpClient Client(Uri baseAddress, string principal)
    {
        var http = new HttpClient { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, Key(principal));
        return http;
    }

    /// <summary>The embedded users with the test users added, as a temporary file for <c>Access:UsersFile</c>.</summary>
    public static string WriteUsersFile()
    {
        var source = Path.Combine(AppContext.BaseDirectory, "embedded", "users.json");
        var document = JsonNode.Parse(File.ReadAllText(source), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!;
        var users = document["users"]!.AsArray();
        foreach (var principal in new[] { HubRoles.Operator, HubRoles.Auditor }.Concat(Municipalities.Select(code => $"{HubRoles.Municipal}:{code}")))
        {
            var parts = principal.Split(':', 2);
            var user = new JsonObject
            {
                ["name"] = UserName(principal),
                ["role"] = parts[0],
                ["apiKeySha256"] = PartnerApiKeys.Hash(Key(principal)),
            };
            if (parts.Length == 2)
            {
                user["municipalityCode"] = parts[1];
            }

            users.Add(user);
        }

        var path = Path.Combine(Path.GetTempPath(), $"hub-users-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, document.ToJsonString());
        return path;
    }

    private static string Key(string principal) => "test-key-" + UserName(principal);
}
