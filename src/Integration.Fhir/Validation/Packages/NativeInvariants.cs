using System.Collections.Frozen;
using Hl7.Fhir.Model;

namespace Integration.Fhir.Validation.Packages;

/// <summary>A MedCom invariant written in C# over Firely's POCOs: true or false as Firely's FHIRPath engine answers it
/// (<c>Predicate</c>: an empty result counts as true), or null where the POCOs take a shape the C# form does not decide
/// exactly (an element with extensions but no value, a value of an unusual type); the FHIRPath then answers.</summary>
internal delegate bool? NativeInvariant(Base focus);

/// <summary>
/// The MedCom invariants that every HospitalNotification, CareCommunication and Acknowledgement runs, in C# (ADR 0014).
/// Firely evaluates an invariant by walking <c>PocoNode</c>s through its FHIRPath interpreter; for the seven a
/// HospitalNotification runs, that was about a tenth of the hub's CPU under load. An invariant is taken from here only
/// when its expression is character for character the one below, so a package version that changes a rule gets
/// Firely's evaluation of the new rule, never a stale C# one. <c>NativeInvariantsTests</c> hold every entry to Firely's
/// answer on MedCom's examples and on variants made to break or bend each rule.
/// </summary>
internal static class NativeInvariants
{
    private const string DanishCpr = "urn:oid:1.2.208.176.1.2";
    private const string MaritalStatusSystem = "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus";

    private static readonly FrozenSet<string> OrganizationIdentifierSystems = new[] { "urn:oid:1.2.208.176.1.1", "https://kombit.dk/sts/organisation", "urn:oid:2.16.840.1.113883.2.24.1.1" }
        .ToFrozenSet(StringComparer.Ordinal);

    /// <summary>By FHIRPath expression, exactly as the packages publish it.</summary>
    public static FrozenDictionary<string, NativeInvariant> ByExpression { get; } = new Dictionary<string, NativeInvariant>(StringComparer.Ordinal)
    {
        // medcom-messaging-2 (every message type): the message has a Provenance.
        ["entry.resource.ofType(Provenance).exists()"] = focus =>
            focus is Bundle bundle ? bundle.Entry.Exists(e => e.Resource is Provenance) : null,

        // medcom-hospitalNotification-2, medcom-careCommunication-2: exactly one Patient.
        ["entry.where(resource.is(Patient)).count() = 1"] = focus =>
            focus is Bundle bundle ? bundle.Entry.Count(e => e.Resource is Patient) == 1 : null,

        // medcom-hospitalNotification-4: the patients' identifier systems, as one collection, equal the CPR system.
        ["entry.resource.ofType(Patient).identifier.system = 'urn:oid:1.2.208.176.1.2'"] = focus =>
            focus is Bundle bundle
                ? EqualsSingle(bundle.Entry.Select(e => e.Resource).OfType<Patient>().SelectMany(p => p.Identifier).Select(i => i.SystemElement), DanishCpr)
                : null,

        // medcom-hospitalNotification-5: the destinations' extension values' codes, as one collection, equal 'primary'.
        ["Bundle.entry.resource.ofType(MessageHeader).destination.extension.value.code = 'primary'"] = focus =>
            focus is Bundle bundle ? DestinationUseIsPrimary(bundle) : null,

        // medcom-hospitalNotification-6: an encounter on leave has an extension whose value has a start (the leave period).
        ["where(status = 'onleave').extension.value.start.exists() or status != 'onleave'"] = focus =>
            focus is Encounter encounter ? LeaveHasStart(encounter) : null,

        // marital-status-unknown-usage (warning): not both P and A from v3-MaritalStatus.
        ["maritalStatus.coding.where(code = 'P' and system = 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus').empty() or maritalStatus.coding.where(code = 'A' and system = 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus').empty()"] =
            focus => focus is Patient patient ? NotBothPartnerAndAnnulled(patient) : null,

        // dk-core-organization-mandatory-identifier: an SOR, KOMBIT or EAN-registry identifier.
        ["identifier.where(system='urn:oid:1.2.208.176.1.1' or system='https://kombit.dk/sts/organisation' or system='urn:oid:2.16.840.1.113883.2.24.1.1').exists()"] =
            focus => focus is Organization organization ? HasDanishOrganizationIdentifier(organization) : null,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>FHIRPath <c>collection = 'literal'</c>: empty when the collection is empty (a predicate's true), else
    /// true only for one item equal to the literal. Undecided when an item has no value (only extensions).</summary>
    private static bool? EqualsSingle(IEnumerable<PrimitiveType?> items, string literal)
    {
        var count = 0;
        string? single = null;
        foreach (var item in items)
        {
            if (item is null)
            {
                continue;
            }

            if (!TryValue(item, out var value))
            {
                return null;
            }

            count++;
            single = value;
        }

        return count == 0 || (count == 1 && string.Equals(single, literal, StringComparison.Ordinal));
    }

    private static bool? DestinationUseIsPrimary(Bundle bundle)
    {
        var codes = new List<PrimitiveType?>();
        foreach (var header in bundle.Entry.Select(e => e.Resource).OfType<MessageHeader>())
        {
            foreach (var extension in header.Destination.SelectMany(d => d.Extension))
            {
                switch (extension.Value)
                {
                    case null:
                        break;
                    case Coding coding:
                        codes.Add(coding.CodeElement);
                        break;
                    default:
                        return null; // Quantity, Timing, … have a `code` of their own: left to FHIRPath
                }
            }
        }

        return EqualsSingle(codes, "primary");
    }

    private static bool? LeaveHasStart(Encounter encounter)
    {
        if (encounter.StatusElement is not { } status || !TryValue(status, out var code))
        {
            return null;
        }

        if (!string.Equals(code, "onleave", StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var extension in encounter.Extension)
        {
            switch (extension.Value)
            {
                case null:
                    break;
                case Period period when period.StartElement is not null:
                    return period.StartElement.JsonValue is null ? null : true;
                case Period:
                    break;
                default:
                    if (extension.Value.TryGetValue("start", out _))
                    {
                        return null; // another type with a `start`: left to FHIRPath
                    }

                    break;
            }
        }

        return false;
    }

    private static bool? NotBothPartnerAndAnnulled(Patient patient)
    {
        bool partner = false, annulled = false;
        foreach (var coding in patient.MaritalStatus?.Coding ?? [])
        {
            if (!TryValueOrAbsent(coding.CodeElement, out var code) || !TryValueOrAbsent(coding.SystemElement, out var system))
            {
                return null;
            }

            if (string.Equals(system, MaritalStatusSystem, StringComparison.Ordinal))
            {
                partner |= string.Equals(code, "P", StringComparison.Ordinal);
                annulled |= string.Equals(code, "A", StringComparison.Ordinal);
            }
        }

        return !(partner && annulled);
    }

    private static bool? HasDanishOrganizationIdentifier(Organization organization)
    {
        foreach (var identifier in organization.Identifier)
        {
            if (!TryValueOrAbsent(identifier.SystemElement, out var system))
            {
                return null;
            }

            if (system is not null && OrganizationIdentifierSystems.Contains(system))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryValue(PrimitiveType primitive, out string? value)
    {
        value = primitive.JsonValue as string;
        return value is not null;
    }

    /// <summary>An absent element is fine (null); one with extensions but no value is not decided here.</summary>
    private static bool TryValueOrAbsent(PrimitiveType? primitive, out string? value)
    {
        value = null;
        return primitive is null || TryValue(primitive, out value);
    }
}
