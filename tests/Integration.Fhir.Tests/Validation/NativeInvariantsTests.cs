using Hl7.Fhir.ElementModel;
using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;
using Hl7.FhirPath;
using Hl7.FhirPath.Expressions;
using Hl7.Fhir.Serialization;
using Integration.Fhir.Validation;
using Integration.Fhir.Validation.Packages;
using static Integration.Fhir.Tests.Messages;

namespace Integration.Fhir.Tests.Validation;

/// <summary>
/// Every invariant the validator runs as C# (<see cref="NativeInvariants"/>) gives Firely's FHIRPath answer: on every
/// message of MedCom's examples, and on variants of them made to break or bend each rule (a second patient, another
/// identifier system, a destination that is not primary, a leave without its period, …). Where the C# form leaves a
/// shape to FHIRPath (null), that is checked too: it must not decide what it cannot decide exactly.
/// </summary>
public sealed class NativeInvariantsTests
{
    private static readonly FhirPathCompiler Compiler = new(new SymbolTable().AddStandardFP().AddFhirExtensions());
    private static readonly CompiledExpression EntryResources = Compiler.Compile("entry.resource");

    /// <summary>Each native invariant's expression compiled once by Firely, the reference its answers are held to.</summary>
    private static readonly Dictionary<string, CompiledExpression> Compiled =
        NativeInvariants.ByExpression.Keys.ToDictionary(e => e, e => Compiler.Compile(e), StringComparer.Ordinal);

    private static readonly CompiledExpression OrganizationsByFhirPath =
        Compiler.Compile("entry[0].resource.sender.resolve() | entry[0].resource.destination.receiver.resolve()");

    private static readonly Lazy<LoadedValidator> FirelyOnly =
        new(() => MessageValidatorFactory.Load(Validators.PackagesFolder, FhirParserLimits.Default, null, nativeInvariants: false));

    private static readonly Lazy<List<string>> ExampleMessages = new(() => [.. MedCom.AllExampleFiles().Where(IsMessage)]);

    public static TheoryData<string> AllExampleMessages() => [.. ExampleMessages.Value];

    public static TheoryData<string> Expressions() => [.. NativeInvariants.ByExpression.Keys];

    [Theory]
    [MemberData(nameof(AllExampleMessages))]
    public void GivenMedComExampleAndItsVariants_WhenEveryNativeInvariantRuns_ThenItAnswersAsFirely(string file)
    {
        var bundle = Parse(file).Bundle!;
        foreach (var (variant, name) in Variants(bundle))
        {
            foreach (var (expression, native) in NativeInvariants.ByExpression)
            {
                var check = Compiled[expression];
                foreach (var focus in Foci(variant))
                {
                    var (firely, threw) = Firely(check, focus.Node, focus.Root);
                    var answer = native(focus.Node.Poco);
                    if (threw)
                    {
                        Assert.True(answer is null, $"{file}, {name}, {expression}: FHIRPath throws, C# answers {answer}");
                    }
                    else if (answer is not null)
                    {
                        Assert.True(firely == answer, $"{file}, {name}, {expression} on {focus.Node.Poco.TypeName}: FHIRPath {firely}, C# {answer}");
                    }
                }
            }

            // And the whole validator: the same report with the C# forms as with Firely's FHIRPath for every rule.
            var json = variant.ToJson();
            Assert.Equal(Describe(FirelyOnly.Value.Validator.Validate(json)), Describe(Validators.WithPackages.Validate(json)));
        }
    }

    private static string Describe(ValidationReport report) =>
        string.Join(Environment.NewLine, report.Issues.Select(i => $"{i.Severity} {i.Rule} {i.MedComCode} at {i.Path}: {i.Text}"));

    [Theory]
    [MemberData(nameof(Expressions))]
    public void GivenTheVariantsOfAllExamples_WhenANativeInvariantRuns_ThenItDecidesBothWaysAndLeavesOnlyOddShapesToFhirPath(string expression)
    {
        var native = NativeInvariants.ByExpression[expression];
        var check = Compiled[expression];
        int yes = 0, no = 0, undecidedOnExamples = 0;
        foreach (var file in ExampleMessages.Value)
        {
            var bundle = Parse(file).Bundle!;
            foreach (var focus in Foci(bundle))
            {
                // MedCom's own messages are the everyday shape: the C# form must decide them all, or it saves nothing.
                if (native(focus.Node.Poco) is null && Firely(check, focus.Node, focus.Root) is (_, false) && AppliesTo(expression, focus.Node.Poco))
                {
                    undecidedOnExamples++;
                }
            }

            foreach (var (variant, _) in Variants(bundle))
            {
                foreach (var focus in Foci(variant))
                {
                    switch (native(focus.Node.Poco))
                    {
                        case true: yes++; break;
                        case false: no++; break;
                    }
                }
            }
        }

        Assert.Equal(0, undecidedOnExamples);
        Assert.True(yes > 0, $"{expression}: never true");
        Assert.True(no > 0, $"{expression}: never false");
    }

    [Theory]
    [MemberData(nameof(AllExampleMessages))]
    public void GivenMedComExampleAndItsVariants_WhenTheMessagingOrganizationsAreFound_ThenTheyAreFhirPathsOnes(string file)
    {
        var bundle = Parse(file).Bundle!;
        // MedCom's own messages are the everyday shape: found in C#. (A few of MedCom's test examples give their entries
        // relative fullUrls, "MessageHeader/…": left to FHIRPath.)
        var everyday = bundle.Entry[0].FullUrl?.StartsWith("http", StringComparison.Ordinal) == true;
        Assert.Equal(everyday, MessagingOrganizations.Find(bundle, [.. Foci(bundle).Skip(1).Select(f => f.Node)]) is not null);
        var (decided, declined) = (0, 0);
        var decidedVariants = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (variant, name) in Variants(bundle))
        {
            var foci = Foci(variant).ToList();
            var root = foci[0].Root;
            var found = MessagingOrganizations.Find(variant, [.. foci.Skip(1).Select(f => f.Node)]);
            if (found is null)
            {
                declined++;
                continue;
            }

            decided++;
            decidedVariants.Add(name);
            var firely = OrganizationsByFhirPath(root, new FhirEvaluationContext { Resource = root, RootResource = root })
                .Cast<PocoNode>().Where(n => n.Poco is Organization);
            Assert.Equal(firely.Select(PathOf).ToList(), found.Select(PathOf).ToList());
            Assert.All(found, node => Assert.IsType<Organization>(node.Poco));
        }

        Assert.True(!everyday || (decided > 1 && declined > 0), $"{file}: {decided} variants decided, {declined} left to FHIRPath");
        if (everyday)
        {
            // The shapes that must stay on the fast path: references under the header's base, urn:uuid ones, one
            // organization both sender and receiver.
            Assert.Superset(new HashSet<string>(StringComparer.Ordinal) { "as published", "the organizations under urn:uuid fullUrls", "the receiver is the sender" },
                decidedVariants);
        }
    }

    private static string PathOf(PocoNode node) => ((Hl7.Fhir.ElementModel.IShortPathGenerator)node).ShortPath;

    [Fact]
    public void GivenMedComPackages_WhenLoaded_ThenEveryNativeInvariantIsOneTheyPublishAndAllOfAHospitalNotificationsAreNative()
    {
        var profiles = Validators.PackagesDescription.Profiles;
        var hospitalNotification = profiles.Where(p => p.MessageType == "hospital-notification-message").ToList();
        Assert.NotEmpty(hospitalNotification);
        Assert.All(hospitalNotification, p => Assert.Equal(p.Invariants, p.NativeInvariants));
        Assert.Equal(7, hospitalNotification.Sum(p => p.NativeInvariants));
        // The others share some (the Provenance, one patient, the organization identifier, marital status).
        Assert.Contains(profiles, p => p.MessageType == "care-communication-message" && p.NativeInvariants > 0);
        Assert.Contains(profiles, p => p.MessageType == "acknowledgement-message" && p.NativeInvariants > 0);
    }

    [Fact]
    public void GivenAValidatorWithoutNativeInvariants_WhenLoaded_ThenEveryInvariantIsFirelys()
    {
        var loaded = FirelyOnly.Value;

        Assert.All(loaded.Description.Profiles, p => Assert.Equal(0, p.NativeInvariants));
        Assert.Equal(Validators.PackagesDescription.Profiles.Sum(p => p.Invariants), loaded.Description.Profiles.Sum(p => p.Invariants));
    }

    private static bool AppliesTo(string expression, Base poco) => poco switch
    {
        Bundle => !expression.StartsWith("where(", StringComparison.Ordinal) && !expression.StartsWith("maritalStatus", StringComparison.Ordinal)
                                                                                 && !expression.StartsWith("identifier.", StringComparison.Ordinal),
        Encounter => expression.StartsWith("where(status", StringComparison.Ordinal),
        Patient => expression.StartsWith("maritalStatus", StringComparison.Ordinal),
        Organization => expression.StartsWith("identifier.", StringComparison.Ordinal),
        _ => false,
    };

    private static (bool Answer, bool Threw) Firely(CompiledExpression check, PocoNode node, PocoNode root)
    {
        try
        {
            return (check.Predicate(node, new FhirEvaluationContext { Resource = node, RootResource = root }), false);
        }
#pragma warning disable CA1031 // whatever Firely throws, the validator treats as "cannot evaluate"
        catch (Exception)
#pragma warning restore CA1031
        {
            return (false, true);
        }
    }

    /// <summary>The bundle and each of its entries' resources, as nodes of the bundle's tree (as the validator runs them).</summary>
    private static IEnumerable<(PocoNode Node, PocoNode Root)> Foci(Bundle bundle)
    {
        var root = bundle.ToPocoNode();
        var context = new FhirEvaluationContext { Resource = root, RootResource = root };
        return new[] { root }.Concat(EntryResources(root, context).Cast<PocoNode>()).Select(node => (node, root));
    }

    /// <summary>The message itself and copies of it, each changed in one way that matters to one of the rules.</summary>
    private static IEnumerable<(Bundle Variant, string Name)> Variants(Bundle original)
    {
        yield return (original, "as published");
        foreach (var (name, change) in Changes)
        {
            var copy = (Bundle)original.DeepCopy();
            if (change(copy))
            {
                yield return (copy, name);
            }
        }
    }

    private static readonly (string Name, Func<Bundle, bool> Change)[] Changes =
    [
        ("no Provenance", b => b.Entry.RemoveAll(e => e.Resource is Provenance) > 0),
        ("no Patient", b => b.Entry.RemoveAll(e => e.Resource is Patient) > 0),
        ("a second Patient", b => First<Patient>(b) is { } p && Add(b, p.DeepCopy())),
        ("an entry without a resource", b => { b.Entry.Add(new Bundle.EntryComponent { FullUrl = "urn:uuid:" + Guid.NewGuid() }); return true; }),
        ("the patient's identifier in another system", b => First<Patient>(b) is { Identifier.Count: > 0 } p && Set(() => p.Identifier[0].System = "urn:oid:1.2.208.176.1.6")),
        ("a second CPR identifier", b => First<Patient>(b) is { Identifier.Count: > 0 } p && Set(() => p.Identifier.Add((Identifier)p.Identifier[0].DeepCopy()))),
        ("an identifier without a system", b => First<Patient>(b) is { } p && Set(() => p.Identifier.Insert(0, new Identifier { Value = "x" }))),
        ("the patient's identifiers only without a system", b => First<Patient>(b) is { } p && Set(() => p.Identifier = [new Identifier { Value = "x" }])),
        ("a system with only an extension", b => First<Patient>(b) is { Identifier.Count: > 0 } p && Set(() => p.Identifier[0].SystemElement = OnlyExtension<FhirUri>())),
        ("a destination use that is not primary", b => DestinationUse(b) is { } c && Set(() => c.Code = "cc")),
        ("a destination use without a code", b => DestinationUse(b) is { } c && Set(() => c.Code = null)),
        ("a destination use code with only an extension", b => DestinationUse(b) is { } c && Set(() => c.CodeElement = OnlyExtension<Code>())),
        ("no destination use", b => First<MessageHeader>(b) is { } h && Set(() => h.Destination.ForEach(d => d.Extension.Clear()))),
        ("a second primary destination", b => First<MessageHeader>(b) is { Destination.Count: > 0 } h && Set(() => h.Destination.Add((MessageHeader.MessageDestinationComponent)h.Destination[0].DeepCopy()))),
        ("a destination use as a Quantity", b => First<MessageHeader>(b) is { Destination.Count: > 0 } h && h.Destination[0].Extension.Count > 0
                                                 && Set(() => h.Destination[0].Extension[0].Value = new Quantity { Code = "primary", Value = 1 })),
        ("a destination use as a string", b => First<MessageHeader>(b) is { Destination.Count: > 0 } h && h.Destination[0].Extension.Count > 0
                                               && Set(() => h.Destination[0].Extension[0].Value = new FhirString("primary"))),
        ("on leave", b => First<Encounter>(b) is { } e && Set(() => e.Status = Encounter.EncounterStatus.Onleave)),
        ("on leave without extensions", b => First<Encounter>(b) is { } e && Set(() => { e.Status = Encounter.EncounterStatus.Onleave; e.Extension.Clear(); })),
        ("on leave, a period without start", b => First<Encounter>(b) is { } e && Set(() =>
        {
            e.Status = Encounter.EncounterStatus.Onleave;
            e.Extension = [new Extension("http://example.org/leave", new Period { End = "2026-01-02" })];
        })),
        ("on leave, a period with start", b => First<Encounter>(b) is { } e && Set(() =>
        {
            e.Status = Encounter.EncounterStatus.Onleave;
            e.Extension = [new Extension("http://example.org/other", new Coding("urn:x", "y")), new Extension("http://example.org/leave", new Period { Start = "2026-01-01" })];
        })),
        ("on leave, a start with only an extension", b => First<Encounter>(b) is { } e && Set(() =>
        {
            e.Status = Encounter.EncounterStatus.Onleave;
            e.Extension = [new Extension("http://example.org/leave", new Period { StartElement = OnlyExtension<FhirDateTime>() })];
        })),
        ("on leave, a Timing extension", b => First<Encounter>(b) is { } e && Set(() =>
        {
            e.Status = Encounter.EncounterStatus.Onleave;
            e.Extension = [new Extension("http://example.org/leave", new Timing { Event = ["2026-01-01"] })];
        })),
        ("finished, no extensions", b => First<Encounter>(b) is { } e && Set(() => { e.Status = Encounter.EncounterStatus.Finished; e.Extension.Clear(); })),
        ("a status with only an extension", b => First<Encounter>(b) is { } e && Set(() => e.StatusElement = OnlyExtension<Code<Encounter.EncounterStatus>>())),
        ("married and annulled", b => First<Patient>(b) is { } p && Set(() => p.MaritalStatus = Marital(("P", Marriage), ("A", Marriage)))),
        ("only partner", b => First<Patient>(b) is { } p && Set(() => p.MaritalStatus = Marital(("P", Marriage)))),
        ("partner and annulled in another system", b => First<Patient>(b) is { } p && Set(() => p.MaritalStatus = Marital(("P", Marriage), ("A", "urn:other")))),
        ("partner and annulled without a system", b => First<Patient>(b) is { } p && Set(() => p.MaritalStatus = Marital(("P", Marriage), ("A", null)))),
        ("a marital code with only an extension", b => First<Patient>(b) is { } p && Set(() =>
        {
            p.MaritalStatus = Marital(("P", Marriage), ("A", Marriage));
            p.MaritalStatus.Coding[0].CodeElement = OnlyExtension<Code>();
        })),
        ("organizations without SOR", b => Organizations(b) is { Count: > 0 } all && Set(() => all.ForEach(o => o.Identifier.RemoveAll(i => i.System == "urn:oid:1.2.208.176.1.1")))),
        ("organizations only with KOMBIT", b => Organizations(b) is { Count: > 0 } all && Set(() => all.ForEach(o => o.Identifier = [new Identifier("https://kombit.dk/sts/organisation", "x")]))),
        ("organizations only with other systems", b => Organizations(b) is { Count: > 0 } all && Set(() => all.ForEach(o => o.Identifier = [new Identifier("urn:other", "x"), new Identifier { Value = "y" }]))),
        ("the receiver is the sender", b => Header(b) is { Sender: { } s, Destination.Count: > 0 } h && h.Destination[0].Receiver is { } r
                                            && Set(() => r.Reference = s.Reference)),
        ("a sender reference to no entry", b => Header(b) is { Sender: { } s } && Set(() => s.Reference = "urn:uuid:" + Guid.NewGuid())),
        ("a relative sender reference", b => Header(b) is { Sender: { } s } && Set(() => s.Reference = "Organization/" + Guid.NewGuid())),
        ("a sender by identifier only", b => Header(b) is { Sender: { } s } && Set(() =>
        {
            s.Reference = null;
            s.Identifier = new Identifier("urn:oid:1.2.208.176.1.1", "1");
        })),
        ("the receiver a copy of the sender in another entry", b => Header(b) is { Sender.Reference: { } s, Destination.Count: > 0 } h
                                                                   && h.Destination[0].Receiver is { } r
                                                                   && EntryOf(b, s)?.Resource is Organization sender
                                                                   && Set(() =>
                                                                   {
                                                                       var url = "urn:uuid:" + Guid.NewGuid();
                                                                       b.Entry.Add(new Bundle.EntryComponent { FullUrl = url, Resource = (Resource)sender.DeepCopy() });
                                                                       r.Reference = url;
                                                                   })),
        ("the receiver is the patient", b => Header(b) is { Destination.Count: > 0 } h && h.Destination[0].Receiver is { } r
                                             && b.Entry.FirstOrDefault(e => e.Resource is Patient)?.FullUrl is { } patient
                                             && Set(() => r.Reference = patient)),
        ("the organizations under urn:uuid fullUrls", b => Header(b) is { } h && Set(() =>
        {
            foreach (var reference in h.Destination.Select(d => d.Receiver).Prepend(h.Sender).OfType<ResourceReference>())
            {
                if (reference.Reference is { } r && EntryOf(b, r) is { } entry)
                {
                    entry.FullUrl = "urn:uuid:" + Guid.NewGuid();
                    reference.Reference = entry.FullUrl;
                }
            }
        })),
        ("the header under a urn:uuid fullUrl", b => Header(b) is not null && Set(() => b.Entry[0].FullUrl = "urn:uuid:" + Guid.NewGuid())),
        ("an organization's fullUrl in other case", b => Header(b) is { Sender.Reference: { } s } && EntryOf(b, s) is { } entry
                                                         && Set(() => entry.FullUrl = entry.FullUrl!.ToUpperInvariant())),
        ("two entries with the sender's fullUrl", b => Header(b) is { Sender.Reference: { } s }
                                                      && EntryOf(b, s) is { } entry
                                                      && Set(() => b.Entry.Add((Bundle.EntryComponent)entry.DeepCopy()))),
        ("an organization system with only an extension", b => Organizations(b) is { Count: > 0 } all && Set(() => all.ForEach(o => o.Identifier.Insert(0, new Identifier { SystemElement = OnlyExtension<FhirUri>() })))),
    ];

    private const string Marriage = "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus";

    private static CodeableConcept Marital(params (string Code, string? System)[] codings) =>
        new() { Coding = [.. codings.Select(c => new Coding(c.System, c.Code))] };

    private static T OnlyExtension<T>() where T : PrimitiveType, new() =>
        new() { Extension = [new Extension("http://example.org/note", new FhirString("x"))] };

    private static T? First<T>(Bundle bundle) where T : Resource => bundle.Entry.Select(e => e.Resource).OfType<T>().FirstOrDefault();

    /// <summary>The entry a reference names: by its fullUrl, or a fullUrl ending in the relative reference.</summary>
    private static Bundle.EntryComponent? EntryOf(Bundle bundle, string reference) =>
        bundle.Entry.FirstOrDefault(e => e.FullUrl == reference || e.FullUrl?.EndsWith("/" + reference, StringComparison.Ordinal) == true);

    private static MessageHeader? Header(Bundle bundle) => bundle.Entry.FirstOrDefault()?.Resource as MessageHeader;

    private static List<Organization> Organizations(Bundle bundle) => [.. bundle.Entry.Select(e => e.Resource).OfType<Organization>()];

    private static Coding? DestinationUse(Bundle bundle) =>
        First<MessageHeader>(bundle)?.Destination.SelectMany(d => d.Extension).Select(x => x.Value).OfType<Coding>().FirstOrDefault();

    private static bool Add(Bundle bundle, Resource resource)
    {
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = "urn:uuid:" + Guid.NewGuid(), Resource = resource });
        return true;
    }

    private static bool Set(Action change)
    {
        change();
        return true;
    }
}
