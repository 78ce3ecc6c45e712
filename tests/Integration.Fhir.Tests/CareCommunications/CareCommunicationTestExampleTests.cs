using System.Globalization;
using System.Text.Json.Nodes;
using static Integration.Fhir.Tests.Messages;

namespace Integration.Fhir.Tests.CareCommunications;

/// <summary>
/// MedCom's receive-side test messages for CareCommunication 5 (examples/carecommunication-testexamples), read one by one.
/// What MedCom means by each, worked out from the files (ids, provenance, timestamps, message texts), MedCom's FSH sources
/// (dk-medcom-carecommunication-testscripts) and its technical receive test scripts (tec-03 "positive dublet", tec-04
/// "invalid … negative dublet"). File names say R (receive) - scenario letter - kind; Bundle.id repeats the file name.
/// <code>
/// file (Bundle-R-…)        | MessageHeader.id   | thread (Communication.identifier) | what MedCom tests                                   | a receiver should
/// -------------------------|--------------------|-----------------------------------|-----------------------------------------------------|----------------------------------------------
/// A-new            .json   | 7ed8da8d-fd74-…    | 7d14612c-5f58-…                    | new message: long text, topic, category             | ok; new thread
///                          |                    |                                   | extended-care-responsibility, PDF attachment        |
/// B-reply          .xml    | 8daf0286-2477-…    | 18fa94f2-d40d-…                    | reply (revision → 0ebb6284-…, a message the         | ok; thread unknown to it → new thread showing
///                          |                    |                                   | receiver never got) with an attachment              | the earlier segment too (governance rule 10)
/// C-forward        .json   | d2b81c34-ec5d-…    | bb5aba27-2112-…                    | forward (revision → 42fa2844-…), new thread id       | ok; new thread with the forwarded segment
/// Tek-A            .xml    | 4e60a233-2980-…    | 161d8b55-bf2e-…                    | priority asap + regarding-referral, escaped signs,   | ok
///                          |                    |                                   | line breaks, 6 attachment types + a link, Zulu time, |
///                          |                    |                                   | Encounter with two episodeOfCare ids                 |
/// Tek-B            .json   | ejklfdsio8kl….     | 3fab3414-6c8b-…                    | ids that are not UUIDs, d-eCPR only (…6.1.3.177),    | ok (show the time right: +01:00)
///                          |                    |                                   | winter time the day after DST ends; source endpoint  |
///                          |                    |                                   | SOR differs from the sender's                        |
/// Tek-C            .xml    | 53f20992-c926-…    | ea0e95d0-f72c-…                    | extra (optional) data on sender, receiver, patient   | ok
/// Tek-CPR-1        .json   | ea9d2910-fe51-…    | eca85df4-e6c9-…                    | CPR and x-eCPR on the Patient                        | ok
/// Tek-CPR-2        .xml    | 855bee22-ca86-…    | eca85df4-e6c9-… (same)             | x-eCPR, CPR and d-eCPR (…6.1.3) on the Patient       | ok
/// Tek-CPR-3        .json   | 73893146-ff6f-…    | eca85df4-e6c9-… (same)             | x-eCPR and d-eCPR, no CPR                            | ok (all three are new-message with one thread id)
/// Tek-D            .xml    | 221b6439-c282-…    | afe59274-01a4-…                    | organisations without names, author without a role   | ok
/// Tek-E-new-parallel .json | 9db30fd5-f443-…    | 1b1cf143-519a-…                    | new message hospital → GP                            | ok
/// Tek-F-new-parallel .xml  | cecb42e9-4909-…    | 1b1cf143-519a-… (same)             | the GP's reply to E (revision → 9db30fd5), sent in   | ok; same thread, ordered by segment time (rule 11)
///                          |                    |                                   | parallel with the other side's own reply             |
/// Tek-G            .json   | f7f519bd-a104-…    | b84738c1-a67f-…                    | category decease, municipality → GP                  | ok
/// Tek-H            .xml    | 2414b445-665f-…    | d6d721a1-f4ec-…                    | reply (12:30) to I, arriving before I; x-eCPR only   | ok; thread created from H
/// Tek-I-reply-order .json  | 8f537c84-17f9-…    | d6d721a1-f4ec-… (same)             | the new message (12:00) H answers, arriving late     | ok; joins H's thread, ordered before H (rule 9)
/// Tek-J-dublicate  .xml    | 7784a5ff-0293-…    | 4098a5ef-3e35-…                    | one message, received twice as it is (same Bundle.id | first ok; the second time: the same ACK again,
///                          |                    |                                   | and MessageHeader.id): positive duplicate (tec-03)   | nothing shown twice
/// Tek-K-dublicate  .json   | 559e4be0-e1f2-…    | 69ab69e8-af33-…                    | a message …                                          | ok
/// Tek-L-dublicate  .xml    | 559e4be0-e1f2-…    | 69ab69e8-af33-…                    | … resent 65 min later: new Bundle.id and timestamp,  | the ACK sent for K again; nothing applied
///                          |   (same as K)      |                                   | everything else identical                            |
/// Tek-M-dublicate-inv .json| 6550cb10-06e1-…    | f3eb2617-5388-…                    | invalid: its Provenance lists segment 69badd84-…,    | fatal-error ("send a negative acknowledgement",
///                          |                    |                                   | the Communication's only segment is 84a28362-…       | says its own text)
/// Tek-N-dublicate-inv .xml | 6550cb10-06e1-…    | f3eb2617-5388-…                    | M resent 65 min later (new Bundle.id, timestamp):    | the fatal-error ACK sent for M again
///                          |   (same as M)      |                                   | negative duplicate (tec-04)                          |
/// Tek-O-invalid    .json   | 5c2cdf2c-bcbd-…    | c4a7575c-c3d7-…                    | meant to be invalid: MedCom's FSH says to delete the | as published: ok. With the text deleted: not
///                          |                    |                                   | message text "To be removed" before use; the file    | a parseable FHIR message (payload.content[x] is
///                          |                    |                                   | still has it                                         | mandatory)
/// </code>
/// No file reuses a Bundle.id with a new MessageHeader.id; every file has its own Bundle.id.
/// </summary>
public sealed class CareCommunicationTestExampleTests
{
    private static readonly ICareCommunicationReader Reader = FhirServices.CareCommunicationReader;

    /// <summary>File prefix (after "Bundle-R-"), activity, thread id (after urn:uuid:), predecessors, CPR kinds.</summary>
    public static TheoryData<string, CareCommunicationActivity, string, string[], string> Readable() => new()
    {
        { "A-new", CareCommunicationActivity.New, "7d14612c-5f58-4621-928d-267846f948c7", [], "cpr" },
        { "B-reply", CareCommunicationActivity.Reply, "18fa94f2-d40d-46a6-b50d-4086c8e184ad", ["0ebb6284-eb20-45eb-8113-6620d2d08608"], "cpr" },
        { "C-forward", CareCommunicationActivity.Forward, "bb5aba27-2112-434a-ac3f-d317ba7a70cd", ["42fa2844-5020-45dd-bd5f-77137ba5ca1f"], "cpr" },
        { "Tek-A", CareCommunicationActivity.New, "161d8b55-bf2e-416a-ad92-2e022bbcd486", [], "cpr" },
        { "Tek-B", CareCommunicationActivity.New, "3fab3414-6c8b-45bf-af93-27dd333554c6", [], "d-ecpr" },
        { "Tek-C", CareCommunicationActivity.New, "ea0e95d0-f72c-4e7f-9250-a2037be75545", [], "cpr" },
        { "Tek-CPR-1", CareCommunicationActivity.New, "eca85df4-e6c9-41d7-88c0-7e6fb79029b9", [], "cpr x-ecpr" },
        { "Tek-CPR-2", CareCommunicationActivity.New, "eca85df4-e6c9-41d7-88c0-7e6fb79029b9", [], "cpr d-ecpr x-ecpr" },
        { "Tek-CPR-3", CareCommunicationActivity.New, "eca85df4-e6c9-41d7-88c0-7e6fb79029b9", [], "d-ecpr x-ecpr" },
        { "Tek-D", CareCommunicationActivity.New, "afe59274-01a4-42b1-8bf4-a7cf907aac53", [], "cpr" },
        { "Tek-E-new-parallel", CareCommunicationActivity.New, "1b1cf143-519a-44f9-b471-05f34fce0670", [], "cpr" },
        { "Tek-F-new-parallel", CareCommunicationActivity.Reply, "1b1cf143-519a-44f9-b471-05f34fce0670", ["9db30fd5-f443-4c7f-8e1a-e8da7e758f0a"], "cpr" },
        { "Tek-G", CareCommunicationActivity.New, "b84738c1-a67f-4de9-a883-fab6d0ba0c44", [], "cpr" },
        { "Tek-H", CareCommunicationActivity.Reply, "d6d721a1-f4ec-4906-8946-ef808525bef1", ["8f537c84-17f9-4fd1-a3d6-3d4008d6c6ec"], "x-ecpr" },
        { "Tek-I-reply-order", CareCommunicationActivity.New, "d6d721a1-f4ec-4906-8946-ef808525bef1", [], "x-ecpr" },
        { "Tek-J-dublicate", CareCommunicationActivity.New, "4098a5ef-3e35-455c-b6cb-01533423593b", [], "cpr" },
        { "Tek-K-dublicate", CareCommunicationActivity.New, "69ab69e8-af33-4e93-9171-7906ad43c1ab", [], "cpr" },
        { "Tek-L-dublicate", CareCommunicationActivity.New, "69ab69e8-af33-4e93-9171-7906ad43c1ab", [], "cpr" },
        { "Tek-O-invalid", CareCommunicationActivity.New, "c4a7575c-c3d7-4f34-a120-6f1ea28f9c12", [], "cpr" },
    };

    [Fact]
    public void GivenTestExampleFolder_WhenListed_ThenEveryFileIsCoveredByATest()
    {
        var covered = Readable().Select(row => (string)row[0]).Concat(["Tek-M-dublicate-inv", "Tek-N-dublicate-inv"]);

        Assert.Equal(ExampleJson.Files(ExampleJson.TestExamples).Select(Prefix).Order(StringComparer.Ordinal),
            covered.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Readable))]
    public void GivenReceiveTestExample_WhenRead_ThenActivityThreadPredecessorsAndCitizenMatch(
        string prefix, CareCommunicationActivity activity, string thread, string[] previous, string citizen)
    {
        var json = ExampleJson.Node(File(prefix));

        var result = Reader.Read(json.ToJsonString());

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => $"{e.Code} {e.Path}")));
        var message = result.Message!;
        Assert.Equal(HeaderId(json), message.MessageHeaderId);
        Assert.Equal(activity, message.Activity);
        Assert.Equal($"urn:uuid:{thread}", message.ConversationId);
        Assert.Equal(previous, message.PreviousMessageHeaderIds);
        Assert.Equal(citizen, CitizenKinds(message));
    }

    [Fact]
    public void GivenResendPairs_WhenCompared_ThenMessageHeaderIsKeptAndOnlyTheEnvelopeDiffers()
    {
        foreach (var (first, resend) in new[] { ("Tek-K-dublicate", "Tek-L-dublicate"), ("Tek-M-dublicate-inv", "Tek-N-dublicate-inv") })
        {
            var original = ExampleJson.Node(File(first));
            var again = ExampleJson.Node(File(resend));

            Assert.Equal(HeaderId(original), HeaderId(again));
            Assert.NotEqual((string?)original["id"], (string?)again["id"]);
            Assert.Equal(TimeSpan.FromMinutes(65), Timestamp(again) - Timestamp(original));
            // One of each pair is XML: compare the content, not the narratives' XHTML serialisation.
            Assert.True(JsonNode.DeepEquals(WithoutNarratives(original), WithoutNarratives(again)), $"{resend} must carry {first}'s entries unchanged");
        }
    }

    [Theory]
    [InlineData("Tek-M-dublicate-inv")]
    [InlineData("Tek-N-dublicate-inv")]
    public void GivenInvalidDuplicate_WhenRead_ThenTheUnknownSegmentInItsProvenanceIsTheError(string prefix)
    {
        var json = ExampleJson.Node(File(prefix));
        var provenance = EntryIndex(json, OwnProvenance(json));

        var error = Assert.Single(Reader.Read(json.ToJsonString()).Errors);

        Assert.Equal(MedComIssueCodes.DatatypeWrong, error.Code);
        Assert.Equal($"Bundle.entry[{provenance}].resource.entity[0].what.identifier", error.Path);
    }

    [Fact]
    public void GivenTekOWithItsMessageTextDeletedAsMedComIntends_WhenParsed_ThenItIsNotAParseableMessage()
    {
        var json = ExampleJson.Node(File("Tek-O-invalid"));
        Resources(json, "Communication").Single()["payload"]![0]!.AsObject().Remove("contentString");

        var parsed = FhirServices.Parser.Parse(Utf8(json), FhirFormat.Json);

        Assert.False(parsed.Succeeded);
        Assert.False(Reader.Read(json.ToJsonString()).Succeeded);
    }

    private static DateTimeOffset Timestamp(JsonObject bundle) =>
        DateTimeOffset.Parse((string)bundle["timestamp"]!, CultureInfo.InvariantCulture);

    private static JsonArray WithoutNarratives(JsonObject bundle)
    {
        var entries = Entries(bundle).DeepClone().AsArray();
        foreach (var entry in entries)
        {
            entry!["resource"]!.AsObject().Remove("text");
        }

        return entries;
    }

    private static string File(string prefix) =>
        $"{ExampleJson.TestExamples}/{ExampleJson.Files(ExampleJson.TestExamples).Single(f => Prefix(f) == prefix)}";

    /// <summary>"Bundle-R-Tek-K-dublicate-5de12884-….json" → "Tek-K-dublicate": the part before the Bundle UUID.</summary>
    private static string Prefix(string file)
    {
        var name = Path.GetFileNameWithoutExtension(file)["Bundle-R-".Length..];
        return name[..(name.Length - 37)];
    }

    private static string CitizenKinds(CareCommunication message)
    {
        var kinds = message.ReplacementCprs.Select(r => r.System == "urn:oid:1.2.208.176.1.6.1.1" ? "x-ecpr" : "d-ecpr");
        return string.Join(' ', (message.CitizenCpr is null ? kinds : kinds.Prepend("cpr")).Order(StringComparer.Ordinal));
    }
}
