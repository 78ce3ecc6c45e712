using System.Globalization;
using System.Text.Json.Nodes;
using Integration.Fhir;
using F = Integration.EndToEnd.Tests.Robustness.MalformedFamilies;

namespace Integration.EndToEnd.Tests.Robustness;

/// <summary>
/// Parseable message Bundles that break MedCom's rules: each must be accepted (202) and answered with a fatal-error
/// acknowledgement. Built only from messages sent by the fixture's HTTP hospital, so the ACK can be seen arriving;
/// acknowledgements are never acknowledged, so MedCom's ACK examples cannot be used here.
/// </summary>
public static class MedComRuleMutations
{
    private static readonly string[] UnknownCodeIssues = [MedComIssueCodes.ValueSetValueUnknown, MedComIssueCodes.CodeSystemValueUnknown];

    private const string MessagingActivityCodes = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-activityCodes";
    private const string UnknownSystem = "http://example.org/fhir/CodeSystem/unknown";

    private static readonly (string Name, string Code)[] UnknownEventCodes =
    [
        ("unknown-code", "unknown-event-code"),
        ("wrong-case", "HOSPITAL-NOTIFICATION-MESSAGE"),
        ("unknown-version", "hospital-notification-message-v9"),
        ("truncated-code", "care-communication"),
    ];

    private static readonly (string Name, string? System, Func<MessageKind, string> Code)[] UnknownActivityCodes =
    [
        ("unknown-code", MessagingActivityCodes, _ => "admit-teleport"),
        ("wrong-case", MessagingActivityCodes, _ => "ADMIT-INPATIENT"),
        // A code of the same CodeSystem that belongs to the other standard: outside this message's ValueSet.
        ("other-standards-code", MessagingActivityCodes, kind => kind == MessageKind.HospitalNotification ? "new-message" : "admit-inpatient"),
        ("unknown-system", UnknownSystem, kind => kind == MessageKind.HospitalNotification ? "admit-inpatient" : "new-message"),
    ];

    private static readonly (string Name, string? System, string Code)[] UnknownCategoryCodes =
    [
        ("unknown-code", null, "not-a-category"),
        ("wrong-case", null, "EXAMINATION-RESULTS"),
        ("unknown-system", UnknownSystem, "training"),
    ];

    /// <summary>MedCom's fictive citizen 250947-9989 with an impossible birth date.</summary>
    private static readonly (string Name, string Cpr)[] BadDateCprs =
    [
        ("day-32", "3209479989"),
        ("month-13", "2513479989"),
        ("day-00", "0009479989"),
        ("month-00", "2500479989"),
        ("april-31", "3104479989"),
    ];

    private static readonly (string Name, Func<string, string> Break)[] EanBreaks =
    [
        ("check-digit-plus-one", ean => ean[..^1] + (char)('0' + ((ean[^1] - '0' + 1) % 10))),
        ("adjacent-digits-swapped", SwapAdjacentDigits),
        ("check-digit-minus-one", ean => ean[..^1] + (char)('0' + ((ean[^1] - '0' + 9) % 10))),
    ];

    private const int ManyEntries = 10_000;

    /// <summary>The impossible CPR numbers the corpus uses (to check that no log line echoes them).</summary>
    public static IEnumerable<string> BadDateCprValues => BadDateCprs.Select(c => c.Cpr);

    public static void AddTo(CorpusBuilder corpus)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var observable = MedComBases.Json.Where(b => b.CanGetObservableAck).ToList();
        foreach (var (medComBase, i) in observable.Select((b, i) => (b, i)))
        {
            UnknownEventCode(corpus, medComBase, i);
            UnknownActivityCode(corpus, medComBase, i);
            EanBadCheckDigit(corpus, medComBase, i);
            if (medComBase.HasExampleCpr)
            {
                CprBadDate(corpus, medComBase, i);
            }

            if (medComBase.Kind == MessageKind.CareCommunication)
            {
                UnknownCategoryCode(corpus, medComBase);
            }
        }

        ManyEntriesCases(corpus, observable.First(b => b.Kind == MessageKind.HospitalNotification));
    }

    private static void UnknownEventCode(CorpusBuilder corpus, MedComBase medComBase, int i)
    {
        var (name, code) = UnknownEventCodes[i % UnknownEventCodes.Length];
        var bundle = MedComBases.FreshNode(medComBase, out var variant);
        FhirJson.Header(bundle)["eventCoding"]!["code"] = code;
        corpus.FatalErrorAck(F.UnknownEventCode, name, medComBase.Name, FhirJson.Text(bundle), variant.MessageHeaderId, UnknownCodeIssues);
    }

    private static void UnknownActivityCode(CorpusBuilder corpus, MedComBase medComBase, int i)
    {
        var (name, system, code) = UnknownActivityCodes[i % UnknownActivityCodes.Length];
        var bundle = MedComBases.FreshNode(medComBase, out var variant);
        var provenances = FhirJson.ProvenancesOfThisMessage(bundle).ToList();
        if (provenances.Count == 0)
        {
            throw new InvalidOperationException($"{medComBase.Name} has no Provenance of its own message.");
        }

        foreach (var coding in provenances.SelectMany(p => p["activity"]!["coding"]!.AsArray()))
        {
            coding!["system"] = system;
            coding["code"] = code(medComBase.Kind);
        }

        corpus.FatalErrorAck(F.UnknownActivityCode, name, medComBase.Name, FhirJson.Text(bundle), variant.MessageHeaderId, UnknownCodeIssues);
    }

    private static void UnknownCategoryCode(CorpusBuilder corpus, MedComBase medComBase)
    {
        foreach (var (name, system, code) in UnknownCategoryCodes)
        {
            var bundle = MedComBases.FreshNode(medComBase, out var variant);
            var communication = FhirJson.Resources(bundle, "Communication").Single();
            foreach (var coding in communication["category"]!.AsArray().SelectMany(c => c!["coding"]!.AsArray()))
            {
                if (system is not null)
                {
                    coding!["system"] = system;
                }

                coding!["code"] = code;
            }

            corpus.FatalErrorAck(F.UnknownCategoryCode, name, medComBase.Name, FhirJson.Text(bundle), variant.MessageHeaderId, UnknownCodeIssues);
        }
    }

    private static void CprBadDate(CorpusBuilder corpus, MedComBase medComBase, int i)
    {
        for (var k = 0; k < 2; k++)
        {
            var (name, cpr) = BadDateCprs[(i * 2 + k) % BadDateCprs.Length];
            var variant = medComBase.Fresh(cpr);
            corpus.FatalErrorAck(F.CprBadDate, name, medComBase.Name, variant.Json, variant.MessageHeaderId);
        }
    }

    /// <summary>The receiver's EAN (GLN) with a wrong GS1 check digit; its SOR code is left as it is.</summary>
    private static void EanBadCheckDigit(CorpusBuilder corpus, MedComBase medComBase, int i)
    {
        for (var k = 0; k < 2; k++)
        {
            var (name, breakIt) = EanBreaks[(i + k) % EanBreaks.Length];
            var bundle = MedComBases.FreshNode(medComBase, out var variant);
            var gln = FhirJson.Receivers(bundle).Select(r => FhirJson.Identifier(r, "gln")).First(g => g is not null)!;
            var broken = breakIt(gln["value"]!.GetValue<string>());
            if (Gs1.HasValidCheckDigit(broken))
            {
                throw new InvalidOperationException($"{name} left a valid EAN in {medComBase.Name}.");
            }

            gln["value"] = broken;
            corpus.FatalErrorAck(F.EanBadCheckDigit, name, medComBase.Name, FhirJson.Text(bundle), variant.MessageHeaderId);
        }
    }

    /// <summary>A message with 10,000 entries that FHIR's Bundle rules forbid: the same fullUrl again and again (bdl-7),
    /// and entries with neither resource nor request (bdl-5).</summary>
    private static void ManyEntriesCases(CorpusBuilder corpus, MedComBase medComBase)
    {
        var bundle = MedComBases.FreshNode(medComBase, out var variant);
        var entries = FhirJson.Entries(bundle);
        var receiver = entries.First(e => ReferenceEquals(e!["resource"], FhirJson.Receivers(bundle).First()))!;
        var copy = receiver.DeepClone().AsObject();
        copy["resource"]!.AsObject().Remove("text");
        copy["resource"]!.AsObject().Remove("meta");
        for (var n = 0; n < ManyEntries; n++)
        {
            entries.Add(copy.DeepClone());
        }

        corpus.FatalErrorAck(F.ManyEntries, "10000-copies-of-the-receiver", medComBase.Name, FhirJson.Text(bundle), variant.MessageHeaderId);

        bundle = MedComBases.FreshNode(medComBase, out variant);
        entries = FhirJson.Entries(bundle);
        for (var n = 0; n < ManyEntries; n++)
        {
            entries.Add(new JsonObject { ["fullUrl"] = string.Create(CultureInfo.InvariantCulture, $"urn:uuid:00000000-0000-4000-8000-{n:D12}") });
        }

        corpus.FatalErrorAck(F.ManyEntries, "10000-entries-without-resource", medComBase.Name, FhirJson.Text(bundle), variant.MessageHeaderId);
    }

    private static string SwapAdjacentDigits(string ean)
    {
        for (var at = 3; at < ean.Length - 2; at++)
        {
            if (ean[at] != ean[at + 1])
            {
                var swapped = string.Concat(ean.AsSpan(0, at), ean.AsSpan(at + 1, 1), ean.AsSpan(at, 1), ean.AsSpan(at + 2));
                if (!Gs1.HasValidCheckDigit(swapped))
                {
                    return swapped;
                }
            }
        }

        throw new InvalidOperationException("No swap of adjacent digits breaks this EAN's check digit.");
    }
}

/// <summary>The GS1 mod-10 check digit of an EAN/GLN location number.</summary>
public static class Gs1
{
    public static bool HasValidCheckDigit(string number)
    {
        ArgumentNullException.ThrowIfNull(number);
        if (number.Length < 2 || !number.All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < number.Length - 1; i++)
        {
            // Weights 3 and 1 alternate from the digit next to the check digit.
            var weight = (number.Length - 1 - i) % 2 == 1 ? 3 : 1;
            sum += (number[i] - '0') * weight;
        }

        return (10 - (sum % 10)) % 10 == number[^1] - '0';
    }
}
