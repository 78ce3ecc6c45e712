using System.Security.Claims;
using System.Text.Encodings.Web;
using Integration.Access.Users;
using Integration.Partners;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integration.Access;

/// <summary>
/// Systems call the APIs with header <c>X-Api-Key</c>: a municipal partner system's key (from the partner registry) makes
/// it a municipal principal of its municipality; a user's key (users file) makes it that user.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    UserDirectory users, IPartnerRegistry partners)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "api-key";
    public const string Header = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = Request.Headers[Header].ToString();
        if (key.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        ClaimsPrincipal? principal = null;
        if (users.FindByApiKey(key) is { } user)
        {
            principal = HubPrincipals.For(user, SchemeName);
        }
        else if (partners.FindCaller(key) is { Kind: PartnerKind.Municipality, MunicipalityCode: { } code } partner)
        {
            principal = HubPrincipals.ForPartnerSystem(partner.Id, partner.Name, code, SchemeName);
        }

        return Task.FromResult(principal is null
            ? AuthenticateResult.Fail("The API key is not known.")
            : AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}

public static class HubPrincipals
{
    public const string DisplayName = "display-name";

    public static ClaimsPrincipal For(HubUser user, string scheme)
    {
        ArgumentNullException.ThrowIfNull(user);
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, user.Name),
            new(ClaimTypes.Role, user.Role),
            new(DisplayName, user.DisplayName ?? user.Name),
        };
        if (user.MunicipalityCode is { } code)
        {
            claims.Add(new Claim(HubClaims.Municipality, code));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    public static ClaimsPrincipal ForPartnerSystem(string partnerId, string partnerName, string municipalityCode, string scheme) =>
        new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, partnerId),
            new Claim(ClaimTypes.Role, HubRoles.Municipal),
            new Claim(DisplayName, partnerName),
            new Claim(HubClaims.Municipality, municipalityCode),
        ], scheme));
}
