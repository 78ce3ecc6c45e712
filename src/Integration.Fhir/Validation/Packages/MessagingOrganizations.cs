using System.Text.RegularExpressions;
using Hl7.Fhir.Model;

namespace Integration.Fhir.Validation.Packages;

/// <summary>
/// The organizations the messaging-organization profile applies to: in FHIRPath
/// <c>(entry[0].resource.sender.resolve() | entry[0].resource.destination.receiver.resolve()).where(is Organization)</c>.
/// Found here in C# for the everyday shapes (ADR 0014): every reference either a <c>urn:uuid:</c> or, as in MedCom's
/// examples, a relative <c>Type/id</c> under the MessageHeader entry's http(s) fullUrl, that names the fullUrl of exactly
/// one entry; and no two different organizations alike (FHIRPath's union would merge them). Null for anything else, and
/// FHIRPath resolves it as before. <c>NativeInvariantsTests</c> hold it to FHIRPath's answer.
/// </summary>
internal static partial class MessagingOrganizations
{
    private const string UuidScheme = "urn:uuid:";

    /// <param name="bundle">The message.</param>
    /// <param name="entryResources">The entries' resources as nodes of the Bundle's tree (the validator's
    /// <c>entry.resource</c>), so that paths and <c>%resource</c> are those FHIRPath would give.</param>
    public static List<PocoNode>? Find(Bundle bundle, IReadOnlyList<PocoNode> entryResources)
    {
        if (bundle.Entry.Count == 0 || bundle.Entry[0].Resource is not MessageHeader header)
        {
            return null;
        }

        var headerBase = BaseOf(bundle.Entry[0].FullUrl);
        var found = new List<PocoNode>(2);
        if (header.Sender is { } sender && !TryAdd(sender, headerBase, bundle, entryResources, found))
        {
            return null;
        }

        foreach (var destination in header.Destination)
        {
            if (destination.Receiver is { } receiver && !TryAdd(receiver, headerBase, bundle, entryResources, found))
            {
                return null;
            }
        }

        return found;
    }

    /// <summary>The service base of an http(s) fullUrl ending in <c>/MessageHeader/{id}</c> (with the slash), else null.</summary>
    private static string? BaseOf(string? fullUrl)
    {
        if (fullUrl is null || !HeaderFullUrl().IsMatch(fullUrl))
        {
            return null;
        }

        var typeStart = fullUrl.LastIndexOf("/MessageHeader/", StringComparison.Ordinal);
        return fullUrl[..(typeStart + 1)];
    }

    private static bool TryAdd(ResourceReference reference, string? headerBase, Bundle bundle, IReadOnlyList<PocoNode> entryResources,
        List<PocoNode> found)
    {
        string url;
        if (reference.Reference is not { } text)
        {
            return false; // an identifier-only reference: FHIRPath's business
        }
        else if (text.StartsWith(UuidScheme, StringComparison.Ordinal))
        {
            url = text;
        }
        else if (headerBase is not null && RelativeReference().IsMatch(text))
        {
            url = headerBase + text;
        }
        else
        {
            return false; // absolute, versioned, contained, or relative to a base we do not know: FHIRPath resolves those
        }

        Resource? target = null;
        var exact = 0;
        var alike = 0;
        foreach (var entry in bundle.Entry)
        {
            if (string.Equals(entry.FullUrl, url, StringComparison.OrdinalIgnoreCase))
            {
                alike++;
                if (string.Equals(entry.FullUrl, url, StringComparison.Ordinal))
                {
                    exact++;
                    target = entry.Resource;
                }
            }
        }

        if (exact != 1 || alike != 1 || target is null)
        {
            return false; // none, several, or some that differ only in case: FHIRPath decides
        }

        if (target is not Organization || found.Exists(node => ReferenceEquals(node.Poco, target)))
        {
            return true; // not an organization (the profile does not apply), or already found
        }

        if (found.Exists(node => node.Poco.IsExactly(target)))
        {
            return false; // two entries with the same organization: leave the union's equality to FHIRPath
        }

        var node = FindNode(entryResources, target);
        if (node is null)
        {
            return false;
        }

        found.Add(node);
        return true;
    }

    [GeneratedRegex(@"^https?://[^\s]+/MessageHeader/[A-Za-z0-9\-\.]{1,64}$")]
    private static partial Regex HeaderFullUrl();

    [GeneratedRegex(@"^[A-Z][A-Za-z]+/[A-Za-z0-9\-\.]{1,64}$")]
    private static partial Regex RelativeReference();

    private static PocoNode? FindNode(IReadOnlyList<PocoNode> entryResources, Resource target)
    {
        foreach (var node in entryResources)
        {
            if (ReferenceEquals(node.Poco, target))
            {
                return node;
            }
        }

        return null;
    }
}
