using Hl7.Fhir.Model;
using Integration.Fhir.Messaging;
using static Integration.Fhir.Messaging.MessageBundle;

namespace Integration.Fhir.Validation.Rules;

/// <summary>SOR and EAN/GLN identifiers of Organizations (medcom-messaging-organization: SOR-ID and EAN-ID, both 1..1).</summary>
internal static class OrganizationRules
{
    /// <summary>Format checks on the identifiers of every Organization in the Bundle.</summary>
    public static void Check(MessageContext message, IssueList issues)
    {
        foreach (var (organization, path) in message.All<Organization>())
        {
            for (var i = 0; i < organization.Identifier.Count; i++)
            {
                CheckIdentifier(organization.Identifier[i], Invariant($"{path}.identifier[{i}]"), issues);
            }
        }
    }

    /// <summary>A sender or receiver carries both a SOR and an EAN/GLN identifier. An identifier with a misspelt GS1 system
    /// is reported by <see cref="HubRules.GlnSystem"/> instead of as a missing EAN.</summary>
    public static void CheckMessagingIdentifiers(Organization organization, string path, string code, string role, IssueList issues)
    {
        if (IdentifierValue(organization.Identifier, MedComUrls.SorSystem) is null)
        {
            issues.Error(HubRules.OrganizationIdentifiers, code, path + ".identifier",
                $"The {role} Organization has no SOR identifier (system {MedComUrls.SorSystem}).");
        }

        if (IdentifierValue(organization.Identifier, MedComUrls.GlnSystem, MedComUrls.GlnSystemHttp) is null
            && !organization.Identifier.Any(i => LooksLikeGs1System(i.System)))
        {
            issues.Error(HubRules.OrganizationIdentifiers, code, path + ".identifier",
                $"The {role} Organization has no EAN/GLN identifier (system {MedComUrls.GlnSystem}).");
        }
    }

    private static void CheckIdentifier(Identifier identifier, string path, IssueList issues)
    {
        var system = identifier.System;
        var value = identifier.Value;
        if (string.Equals(system, MedComUrls.SorSystem, StringComparison.Ordinal))
        {
            if (!DanishIdentifiers.IsDigitsOnly(value) || value!.Length < DanishIdentifiers.SorMinLength)
            {
                issues.Error(HubRules.SorFormat, path + ".value",
                    Invariant($"A SOR identifier is digits only, at least {DanishIdentifiers.SorMinLength} of them."));
            }
            else if (value.Length > DanishIdentifiers.SorMaxLength)
            {
                issues.Error(HubRules.SorTooLong, path + ".value",
                    Invariant($"A SOR identifier has at most {DanishIdentifiers.SorMaxLength} digits."));
            }
        }
        else if (string.Equals(system, MedComUrls.GlnSystem, StringComparison.Ordinal)
                 || string.Equals(system, MedComUrls.GlnSystemHttp, StringComparison.Ordinal))
        {
            if (!DanishIdentifiers.IsGlnShaped(value))
            {
                issues.Error(HubRules.EanFormat, path + ".value", "An EAN/GLN identifier has 13 digits.");
            }
            else if (!DanishIdentifiers.HasValidGs1CheckDigit(value!))
            {
                issues.Error(HubRules.EanCheckDigit, path + ".value", "The EAN/GLN identifier's GS1 check digit is wrong.");
            }
        }
        else if (LooksLikeGs1System(system))
        {
            issues.Error(HubRules.GlnSystem, path + ".system",
                $"A GLN identifier's system is {MedComUrls.GlnSystem} (or {MedComUrls.GlnSystemHttp}); this one is another spelling.");
        }
    }

    /// <summary>Any GS1 URL other than the two accepted ones, e.g. <c>https://gs1.org/gln</c> or <c>www.gs1.org/gln/</c>:
    /// a sender meant a GLN and misspelt its system, so the receiver could not find the EAN.</summary>
    private static bool LooksLikeGs1System(string? system) =>
        system is not null
        && system.Contains("gs1.org", StringComparison.OrdinalIgnoreCase)
        && !string.Equals(system, MedComUrls.GlnSystem, StringComparison.Ordinal)
        && !string.Equals(system, MedComUrls.GlnSystemHttp, StringComparison.Ordinal);
}
