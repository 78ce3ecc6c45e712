using System.Globalization;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;

namespace Integration.Fhir.Messaging;

/// <summary>Navigation inside a message Bundle: reference resolution, organisations, extensions, timestamps.</summary>
internal static partial class MessageBundle
{
    /// <summary>Resolves a reference to an entry of the Bundle: exact fullUrl, else <c>Type/id</c> against the
    /// resource's type and id, else a fullUrl ending in <c>/Type/id</c>. Returns the entry index or -1.</summary>
    public static int IndexOf(Bundle bundle, string? reference)
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            return -1;
        }

        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            if (string.Equals(bundle.Entry[i].FullUrl, reference, StringComparison.Ordinal))
            {
                return i;
            }
        }

        if (!TrySplitTypeAndId(reference, out var type, out var id))
        {
            return -1;
        }

        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var resource = bundle.Entry[i].Resource;
            if (resource is not null && resource.TypeName == type && resource.Id == id)
            {
                return i;
            }
        }

        var suffix = $"/{type}/{id}";
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            if (bundle.Entry[i].FullUrl?.EndsWith(suffix, StringComparison.Ordinal) == true
                && bundle.Entry[i].Resource?.TypeName == type)
            {
                return i;
            }
        }

        return -1;
    }

    public static T? Resolve<T>(Bundle bundle, ResourceReference? reference) where T : Resource
    {
        var index = IndexOf(bundle, reference?.Reference);
        return index >= 0 ? bundle.Entry[index].Resource as T : null;
    }

    /// <summary>True when <paramref name="reference"/> points at the resource in entry <paramref name="index"/>.</summary>
    public static bool PointsAt(Bundle bundle, string? reference, int index)
    {
        var resource = bundle.Entry[index].Resource;
        if (string.IsNullOrWhiteSpace(reference) || resource is null)
        {
            return false;
        }

        if (string.Equals(bundle.Entry[index].FullUrl, reference, StringComparison.Ordinal))
        {
            return true;
        }

        return TrySplitTypeAndId(reference, out var type, out var id) && resource.TypeName == type && resource.Id == id;
    }

    public static OrganizationIdentity? Identity(Organization? organization)
    {
        if (organization is null)
        {
            return null;
        }

        return new OrganizationIdentity(
            Ean: IdentifierValue(organization.Identifier, MedComUrls.GlnSystem, MedComUrls.GlnSystemHttp),
            Sor: IdentifierValue(organization.Identifier, MedComUrls.SorSystem),
            Name: string.IsNullOrWhiteSpace(organization.Name) ? null : organization.Name);
    }

    public static string? IdentifierValue(IEnumerable<Identifier> identifiers, params ReadOnlySpan<string> systems)
    {
        foreach (var identifier in identifiers)
        {
            if (string.IsNullOrWhiteSpace(identifier.Value))
            {
                continue;
            }

            foreach (var system in systems)
            {
                if (string.Equals(identifier.System, system, StringComparison.Ordinal))
                {
                    return identifier.Value;
                }
            }
        }

        return null;
    }

    public static Extension? FindExtension(IEnumerable<Extension> extensions, string url) =>
        extensions.FirstOrDefault(e => string.Equals(e.Url, url, StringComparison.Ordinal));

    /// <summary>A FHIR dateTime with a time and a time zone, as MedCom requires for every timestamp.</summary>
    public static bool TryReadZoned(FhirDateTime? value, out DateTimeOffset result)
    {
        result = default;
        var text = value?.Value;
        return text is not null && ZonedDateTime().IsMatch(text) && value!.TryToDateTimeOffset(out result);
    }

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static bool TrySplitTypeAndId(string reference, out string type, out string id)
    {
        // "Organization/abc", "https://host/fhir/Organization/abc" or ".../Organization/abc/_history/2".
        var path = reference;
        var history = path.IndexOf("/_history/", StringComparison.Ordinal);
        if (history >= 0)
        {
            path = path[..history];
        }

        var parts = path.Split('/');
        if (parts.Length >= 2 && parts[^2].Length > 0 && parts[^1].Length > 0)
        {
            type = parts[^2];
            id = parts[^1];
            return true;
        }

        type = id = "";
        return false;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex ZonedDateTime();
}
