using System.Text;
using System.Text.Json.Nodes;
using Integration.Testing;

namespace Integration.EndToEnd.Tests.Conformance;

/// <summary>One message of the conformance run: a MedCom file as published, or a message derived from one in memory.</summary>
/// <param name="Name">The file's path under examples/, or a description of the derived message.</param>
/// <param name="Source">The MedCom file it is (or is derived from), relative to examples/.</param>
/// <param name="Derive">null: post the file byte for byte; else turns the file's bytes into the message to post.</param>
public sealed record ConformanceRow(string Name, string Source, Outcome Expected, string Reason, Func<byte[], byte[]>? Derive = null)
{
    public bool IsDerived => Derive is not null;

    public string ContentType => Source.EndsWith(".xml", StringComparison.Ordinal) ? "application/fhir+xml" : "application/fhir+json";

    public byte[] Body()
    {
        var bytes = File.ReadAllBytes(ConformanceExpectations.PathOf(Source));
        return Derive is null ? bytes : Derive(bytes);
    }
}

/// <summary>
/// What MedCom intends a receiver to do with each of its published examples (../shared/medcom/examples: the IGs'
/// examples, MedCom's acknowledgement and CareCommunication receive-test messages, JSON and XML), when the hub receives
/// them once each in directory order, plus the cases MedCom's test scripts make by sending a file again or altered.
/// Every file must be here: a new MedCom file fails the suite until it is classified.
/// </summary>
public static class ConformanceExpectations
{
    private const string AckTests = "acknowledgement-testexamples/";
    private const string CcTests = "carecommunication-testexamples/";
    private const string IgAck = "ig-acknowledgement-2.0.3/";
    private const string IgCc = "ig-carecommunication-5.0.2/";
    private const string IgHomeCare = "ig-homecareobservation-1.2.1/";
    private const string IgHn = "ig-hospitalnotification-3.0.2/";
    private const string Oioxml = "oioxml-conversion/";

    private const string UnableToReceive = "MSG_RECEIVER_UNABLE_TO_RECEIVE_MSG_TYPE";
    private const string NoMatch = "MSG_NO_MATCH";

    private const string TekJ = CcTests + "Bundle-R-Tek-J-dublicate-7283eae8-0427-4bb0-8486-06b4febd416c.xml";
    private const string TekK = CcTests + "Bundle-R-Tek-K-dublicate-5de12884-eae7-4fd3-ba4a-d8b56be4baff.json";
    private const string TekM = CcTests + "Bundle-R-Tek-M-dublicate-inv-260a3cc1-38eb-454a-a57b-9e32eabb54a3.json";
    private const string TekO = CcTests + "Bundle-R-Tek-O-invalid-3d1149cd-d3e3-421a-ae31-4860decb4272.json";
    private const string NewFromAuh = CcTests + "Bundle-R-A-new-b10f940e-2000-4ec8-9e0b-a3fb60fc5bb5.json";
    private const string AckOk3311 = AckTests + "Ack_3.3.1.1_A-AA.xml";
    private const string MessagingEmpty210 = "ig-messaging-2.1.0/Bundle-eb26be85-fdb7-454d-a980-95cba6d1745b.json";
    private const string Flow2Ack = Oioxml + "Flow2-Acknowledgement_Ex_to_OIOXML.xml";

    private static Outcome Ok => new Outcome.Ok();

    private static Outcome AckReceived => new Outcome.AckReceivedNotAcknowledged();

    private static Outcome SentOn => new Outcome.SentOn();

    private static Outcome Rejected => new Outcome.Rejected400();

    private static Outcome.FatalError Fatal(string code) => new Outcome.FatalError(code);

    private static Outcome.Duplicate DuplicateOf(Outcome first) => new Outcome.Duplicate(first);

    /// <summary>Expected outcome and MedCom's reason, per file (path relative to examples/, '/' separated).</summary>
    public static IReadOnlyDictionary<string, (Outcome Expected, string Reason)> Files { get; } = BuildFiles();

    /// <summary>Messages MedCom's test scripts send that are not files of their own, made in memory from MedCom's files.</summary>
    public static IReadOnlyList<ConformanceRow> Derived { get; } =
    [
        new("Tek-J again (the same file a second time)", TekJ, DuplicateOf(Ok),
            "MedCom tec-03 \"positive dublet\": Tek-J is meant to be received twice as it is (same Bundle.id and MessageHeader.id, a lost response); the receiver answers with the same ACK and applies nothing twice",
            bytes => bytes),
        new("Tek-O as MedCom's test sends it (placeholder text removed)", TekO, Rejected,
            "MedCom's source says the text \"To be removed\" is deleted before use (\"no message text is included\"); without it payload.content[x], which FHIR makes 1..1, is missing, so the strict parser refuses the body: 400, as no ACK can be built for what cannot be parsed",
            WithoutMessageText),
        new("Tek-K's Bundle.id on a new message (R-A-new with a new MessageHeader.id)", NewFromAuh, Fatal("MSG_DUPLICATE_ID"),
            "MedCom's identity rules: a Bundle.id already received from the sender with another MessageHeader.id is an error, never a new message (rule hub-bundle-id-reused); same sender as Tek-K (AUH Ældresygdomme)",
            ReusingTekKsBundleId),
        new("Ack_3.3.1.1 again (the same ACK a second time)", AckOk3311, DuplicateOf(AckReceived),
            "MedCom's ACK test script receive-ok-duplicate: the same ok ACK twice; an ACK is never acknowledged, so nothing is sent either time and nothing is settled twice",
            bytes => bytes),
    ];

    /// <summary>Every row in the order posted: the files in directory order, then the derived messages.</summary>
    public static IReadOnlyList<ConformanceRow> Rows() =>
    [
        .. Files.Keys.Order(StringComparer.Ordinal).Select(f => new ConformanceRow(f, f, Files[f].Expected, Files[f].Reason)),
        .. Derived,
    ];

    /// <summary>The files under examples/ as they are on disk, relative and '/' separated, in directory (ordinal) order.</summary>
    public static IReadOnlyList<string> FilesOnDisk() =>
    [
        .. Directory.EnumerateFiles(MedComExamples.Examples, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(MedComExamples.Examples, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal),
    ];

    public static string PathOf(string relative) => Path.Combine(MedComExamples.Examples, relative);

    private static Dictionary<string, (Outcome, string)> BuildFiles()
    {
        var files = new Dictionary<string, (Outcome, string)>(StringComparer.Ordinal);

        void Add(string file, Outcome expected, string reason) => files.Add(file, (expected, reason));

        // MedCom's ACK test messages: ACKs a sending system receives (the AE/AR letters of the names are not reliable;
        // response.code counts). The hub receives them: never acknowledged, matched on response.identifier.
        void AckTest(string file, string ack, string answers) =>
            Add(AckTests + file, AckReceived, $"MedCom ACK test message ({ack} for {answers}…): an acknowledgement is never acknowledged; it answers no message the hub sent, so it is recorded unmatched");
        AckTest("Ack_3.3.1.1_A-AA.xml", "ok", "42cb9200");
        AckTest("Ack_3.3.2.1_A_AE.xml", "fatal-error MSG_VALUESET_VALUE_UNKNOWN", "53128d9b");
        AckTest("Ack_3.3.3.1_A_AR.xml", "transient-error MSG_Mailbox_Out_Of_Operation", "53128d9b");
        AckTest("Ack_3.3.3.3_A-AA.xml", "ok", "42cb9200");
        AckTest("Ack_3.3.3.4_A_AR.xml", "transient-error with an information issue", "53128d9b");
        AckTest("Ack_3.3.3.6_A_AE.xml", "fatal-error MSG_VALUESET_VALUE_UNKNOWN", "53128d9b");
        AckTest("Ack_3.4.1_A_AA.xml", "ok", "42cb9200");
        AckTest("Ack_3.4.2_A-AA.xml", "ok", "42cb9200");
        AckTest("Ack_3.4.4_A_AE.json", "fatal-error MSG_VALUESET_VALUE_UNKNOWN", "53128d9b");
        AckTest("Binary-Ack-AA_A.json", "ok, a TouchStone fixture,", "42cb9200");
        AckTest("Binary-Ack-AE_C.json", "fatal-error message-development-error, a TouchStone fixture,", "5b89a5d0");
        AckTest("Binary-Ack-AR_B.json", "transient-error message-development-error, a TouchStone fixture,", "42cb9200");

        // MedCom's CareCommunication receive tests (tec-03 receive, tec-04 receive invalid, with their duplicates).
        const string ToAabenraa = "to Aabenraa Sundhedspleje (municipality 580), which the hub serves";
        const string HospitalToGp = "Herlev-Gentofte hospital → Arden GP: neither side a municipality the hub serves, so the hub passes it on and the GP acknowledges, not the hub";
        Add(CcTests + "Bundle-R-A-new-b10f940e-2000-4ec8-9e0b-a3fb60fc5bb5.json", Ok, $"tec-03: a new message (long text, topic, PDF) {ToAabenraa}: MedCom expects a positive ACK");
        Add(CcTests + "Bundle-R-B-reply-91b4b79a-520f-48cb-bb9a-9c3e27301968.xml", SentOn, $"tec-03: a reply to a message the receiver never got; {HospitalToGp}");
        Add(CcTests + "Bundle-R-C-forward-8352b67a-23b2-44c5-b43a-725270a90722.json", Ok, $"tec-03: a forward (new thread id) from Aalborg home nursing {ToAabenraa}: positive ACK");
        Add(CcTests + "Bundle-R-Tek-A-0c8dddf2-c882-4b00-8870-5035279e7d01.xml", Ok, $"tec-03: escaped characters, line breaks, six attachment types and a link, Zulu timestamps {ToAabenraa}: valid, positive ACK");
        Add(CcTests + "Bundle-R-Tek-B-82875f08-4b9e-4a23-b81a-e23ec1251334.json", Ok, $"tec-03: ids that are not UUIDs, a d-eCPR only, winter time {ToAabenraa}: valid, positive ACK");
        Add(CcTests + "Bundle-R-Tek-C-5d29cc7d-dcf7-4b50-81b1-a8d971973ff6.xml", Ok, $"tec-03: extra optional data on sender, receiver and patient {ToAabenraa}: valid, positive ACK");
        const string FdisToXdis = "MedCom FDIS91 → MedCom XDIS91 (both systems, not municipalities): the hub relays it, the receiver acknowledges";
        Add(CcTests + "Bundle-R-Tek-CPR-1-06326cfc-5cfc-4bb1-bcd0-c49b8f8033e6.json", SentOn, $"tec-03 replacement CPR (CPR + x-eCPR); {FdisToXdis}");
        Add(CcTests + "Bundle-R-Tek-CPR-2-e678c36a-0e2e-4831-a739-3cfc1225691d.xml", SentOn, $"tec-03 replacement CPR (x-eCPR + CPR + d-eCPR); {FdisToXdis}");
        Add(CcTests + "Bundle-R-Tek-CPR-3-4d9d90c5-5647-4b4a-8c61-770bc5c3e092.json", SentOn, $"tec-03 replacement CPR (x-eCPR + d-eCPR, no CPR); {FdisToXdis}");
        Add(CcTests + "Bundle-R-Tek-D-68f5c0f8-e33e-4302-89b0-cdea52801ec9.xml", Ok, $"tec-03: organisations without names, an author without a role title {ToAabenraa}: valid, positive ACK");
        Add(CcTests + "Bundle-R-Tek-E-new-parallel-c1edf6f3-2554-4b72-b58b-0f030ee555ba.json", SentOn, $"tec-03 parallel conversation, the new message; {HospitalToGp}");
        Add(CcTests + "Bundle-R-Tek-F-new-parallel-0e2864ad-a6a1-4e84-a9dc-aeacee63f981.xml", SentOn, "tec-03 parallel conversation, the GP's reply (rule 11: keep both); Arden GP → Herlev-Gentofte hospital: relayed, the hospital acknowledges");
        Add(CcTests + "Bundle-R-Tek-G-20fcbedb-ced8-4949-9edf-a145e0bb9b09.json", SentOn, "tec-03 category decease, Aabenraa (580) → GP Østerbro: outgoing from a municipality the hub serves; sent on and tracked until the GP's ACK");
        Add(CcTests + "Bundle-R-Tek-H-3e047a9d-c86a-4828-b686-6a80403df5eb.xml", SentOn, $"tec-03 reply order: the reply arrives before its original (rule 9); {HospitalToGp}");
        Add(CcTests + "Bundle-R-Tek-I-reply-order-7c5a0cc0-f0f8-4a2e-9de9-d9293598bf94.json", SentOn, $"tec-03 reply order: the original, after its reply; {HospitalToGp}");
        Add(TekJ, Ok, $"tec-03 positive duplicate, first receipt {ToAabenraa}: positive ACK (MedCom sends it again: see the derived row)");
        Add(TekK, Ok, $"tec-03 positive duplicate, first sending {ToAabenraa}: positive ACK");
        Add(CcTests + "Bundle-R-Tek-L-dublicate-fa97e431-332f-4605-ad37-c259dc2b8637.xml", DuplicateOf(Ok), "tec-03 positive duplicate: Tek-K resent 65 minutes later (same MessageHeader.id, new Bundle.id): the same ok ACK again, applied once");
        Add(TekM, Fatal(NoMatch), $"tec-04 receive invalid {ToAabenraa}: its Provenance names segment 69badd84… that the Communication does not carry (its text: \"send a negative acknowledgement\"); rule hub-cc-provenance-payload");
        Add(CcTests + "Bundle-R-Tek-N-dublicate-inv-260f76f2-d986-4ba1-8049-2369b1b164ce.xml", DuplicateOf(Fatal(NoMatch)), "tec-04 negative duplicate: Tek-M resent 65 minutes later (new Bundle.id): the same fatal-error ACK again");
        Add(TekO, Ok, $"as published it still carries MedCom's placeholder text \"To be removed\", which MedCom's test tool deletes before sending (see the derived row); with it the message is valid {ToAabenraa}");

        // The Acknowledgement IG's examples.
        const string IgAckReason = "the Acknowledgement IG's example: an acknowledgement is never acknowledged; it answers no message the hub sent (unmatched)";
        Add(IgAck + "Bundle-a8c041b8-c65a-4fde-a90f-962076918834.json", AckReceived, $"ok ACK for 42cb9200…, {IgAckReason}");
        Add(IgAck + "Bundle-bc9535ef-ed94-4060-a928-7baddec7ee71.json", AckReceived, $"fatal-error ACK for 53128d9b…, {IgAckReason}");
        Add(IgAck + "Bundle-c9c2b2f6-0807-11ed-861d-0242ac120002.json", AckReceived, $"transient-error ACK for 53128d9b…, {IgAckReason}");
        Add(IgAck + "Bundle-eb26be85-fdb7-454d-a980-95cba6d1745b.json", Fatal(UnableToReceive), "an empty-message (Plejecenter Herlev → the hospital), a type the hub does not carry: MedCom's code for a receiver that cannot take the message type");

        // The CareCommunication IG's examples: hospital ↔ Plejecenter Herlev / Herlev Kommune (municipality 163).
        Add(IgCc + "Bundle-0d5b3c18-fab6-4d93-9d88-c9c8abf1f18c.json", Ok, "new message, hospital → Plejecenter Herlev (163), replacement CPR only: valid, positive ACK");
        Add(IgCc + "Bundle-3dcb5618-3055-406a-9034-1b8fc8de0fea.json", Ok, "reply, hospital → Plejecenter Herlev (163): valid, positive ACK");
        Add(IgCc + "Bundle-add5e7e2-0c0f-4a4a-bfff-f6f984fa7e3c.json", Ok, "new message, hospital → Plejecenter Herlev (163), the one MedCom's ACK examples answer: valid, positive ACK");
        Add(IgCc + "Bundle-b56549f7-ed10-422d-8088-f7222b686e46.json", SentOn, "reply, Plejecenter Herlev (163) → hospital: outgoing from a municipality the hub serves; sent on and tracked until the hospital's ACK");
        Add(IgCc + "Bundle-c0426e3e-978f-46e8-a366-a30f27854b0a.json", Ok, "forward, Plejecenter Herlev → Herlev Kommune (163): to a municipality the hub serves, positive ACK");
        Add(IgCc + "Bundle-d11968f5-4bdf-4b50-b146-a8e1cc890fc3.json", Ok, "forward, Herlev Kommune → Plejecenter Herlev (163): to a municipality the hub serves, positive ACK");
        const string LikeTekM = "same defect as tec-04's Tek-M, which MedCom wants negatively acknowledged (rule hub-cc-provenance-payload)";
        Add(IgCc + "Bundle-gfd00bc2-9c26-4174-934e-f6e4360845de.json", Fatal(NoMatch), $"its own Provenance names payloads f9cf2547… and a4f712ee… that the Communication does not carry: {LikeTekM}");
        Add(IgCc + "Bundle-k7bfbc0c-553d-11ed-bdc3-0242ac120002.json", Fatal(NoMatch), $"its own Provenance names payload 8521000b… that the Communication does not carry: {LikeTekM}");

        // The core IGs' resource examples: not messages.
        foreach (var core in new[] { "ig-core-2.0.0/", "ig-core-3.0.1/" })
        {
            foreach (var resource in new[]
                     {
                         "Organization-12ee0dde-a672-462f-820d-5efe832d73c9.json", "Organization-bca68510-fe3b-4161-aba0-908a693eb54f.json",
                         "Patient-382fb8a3-6725-41e2-a615-2b1cfcfe9931.json", "Patient-5b72c625-0570-4111-b272-f0351344f8b6.json",
                         "Patient-733cef33-3626-422b-955d-d506aaa65fe1.json",
                     })
            {
                Add(core + resource, Rejected, $"a single {resource[..resource.IndexOf('-', StringComparison.Ordinal)]} resource, not a message Bundle: nothing to acknowledge");
            }
        }

        Add("ig-core-3.0.1/Patient-ded1fc9a-aa93-4162-aaec-7145a8ac951f.json", Rejected, "a single Patient resource, not a message Bundle: nothing to acknowledge");

        // The HomeCareObservation IG's examples: municipal care → GP, a message type the hub does not carry.
        foreach (var observation in new[]
                 {
                     "Bundle-401cbc36-db1e-4fe0-bf90-6df331dde179.json", "Bundle-5f341feb-9a20-463a-96cc-a9ca8ace5567.json",
                     "Bundle-73996cdc-3192-4d15-bd16-c365ef0085e7.json", "Bundle-ReceiveTestExample1.json", "Bundle-ReceiveTestExample2.json",
                     "Bundle-ReceiveTestExample3.json", "Bundle-ReceiveTestExample4.json", "Bundle-add5e7e2-0c0f-4a4a-bfff-f6f984fa7e3c.json",
                     "Bundle-faa0c104-0ebf-49cb-bad1-9e0f59436e18.json",
                 })
        {
            Add(IgHomeCare + observation, Fatal(UnableToReceive), "a HomeCareObservation, which the hub does not carry: MedCom's code for a receiver that cannot take the message type (the shared Bundle.id add5e7e2… comes from another sender, so it is no duplicate)");
        }

        // The HospitalNotification IG's examples: Herlev-Gentofte hospital → Plejecenter Herlev (163).
        foreach (var (file, eventCode) in new[]
                 {
                     ("Bundle-a5e5b880-c087-4055-b9ec-99108695f81d.json", "STIN"), ("Bundle-bfab3e80-9584-11ec-b909-0242ac120002.json", "RE_STIN"),
                     ("Bundle-c83671a4-9584-11ec-b909-0242ac120002.json", "AN_STIN"), ("Bundle-d3128d9b-cede-4c7f-8904-809eab322d7d.json", "STOR"),
                     ("Bundle-e94de8ee-bd94-475e-b454-b8fbbef8a685.json", "SLOR"), ("Bundle-f4aa42a4-86db-4e68-9b38-9dda0dfd5774.json", "SLHJ"),
                     ("Bundle-g099bbf3-3fca-4722-a248-bfe1aa956410.json", "MORS"), ("Bundle-h1c8e4a8-6b45-4669-94ad-2a99ad96bf03.json", "STAA"),
                     ("Bundle-kcab461b-f44e-4d97-a041-ef7e64800587.json", "SLHJ"), ("Bundle-ld31e08a-b91f-49c3-841a-ce80e6380517.json", "MORS"),
                     ("Bundle-m908i967-9ie3-9023-b9ec-98108695f01d.json", "STIN"), ("Bundle-n73ccf30-80b9-4bd2-bf50-1ac1914498f0.json", "STIN"),
                 })
        {
            Add(IgHn + file, Ok, $"{eventCode} for Plejecenter Herlev (163): a valid notification, which a municipality acknowledges positively whether or not it keeps it");
        }

        // The messaging IG's example, published in two editions: the same message from the same sender.
        Add(MessagingEmpty210, Fatal(UnableToReceive), "an empty-message, a type the hub does not carry: MedCom's code for a receiver that cannot take the message type");
        Add("ig-messaging-4.0.2/Bundle-eb26be85-fdb7-454d-a980-95cba6d1745b.json", DuplicateOf(Fatal(UnableToReceive)),
            "the same message again (same sender, Bundle.id and MessageHeader.id as the 2.1.0 edition): a lost response, so the first ACK again, unchanged");

        // The OIOXML conversion service's examples: the FHIR side of each flow, and the OIOXML side.
        const string NotFhir = "an OIOXML (EDIFACT-era XML) message, not FHIR: the hub takes FHIR only";
        foreach (var oioxml in new[]
                 {
                     "Flow1-XBIN01_Ex_to_FHIR.xml", "Flow1-XDIS91_Ex_to_FHIR.xml", "Flow2-XCTL03_Ex_from_FHIR_XBIN01.xml", "Flow2-XCTL03_Ex_from_FHIR_XDIS91.xml",
                     "Flow3-XBIN01_Ex_from_FHIR.xml", "Flow3-XDIS91_Ex_from_FHIR.xml", "Flow4-XCTL03_Ex_to_FHIR_XBIN01.xml", "Flow4-XCTL03_Ex_to_FHIR_XDIS91.xml",
                 })
        {
            Add(Oioxml + oioxml, Rejected, NotFhir);
        }

        Add(Oioxml + "Flow1-CareCommunication_Ex_from_OIOXML.xml", SentOn, "MedCom's test center → Social og Sundhed Odense (systems, not municipalities the hub serves): relayed, and the receiver's ACK (Flow 2) settles it");
        Add(Flow2Ack, AckReceived, "the ok ACK for Flow 1's message: matched against what the hub relayed and passed back to the sender, never acknowledged itself");
        Add(Oioxml + "Flow3-CareCommunication_Ex_to_OIOXML.xml", Rejected, "not valid FHIR XML: an attribute value with leading/trailing whitespace (payload content), which FHIR forbids, so strict parsing refuses it");
        Add(Oioxml + "Flow4-Acknowledgement_Ex_from_OIOXML.xml", DuplicateOf(AckReceived), "the same Bundle.id and MessageHeader.id from the same sender as Flow 2's ACK: a duplicate ACK, nothing applied, nothing sent (its other response.identifier is never read)");
        return files;
    }

    /// <summary>Tek-O with the placeholder text MedCom's source says to remove: the Communication's payload has no content.</summary>
    private static byte[] WithoutMessageText(byte[] published)
    {
        var bundle = JsonNode.Parse(published)!;
        var communication = bundle["entry"]!.AsArray()
            .Select(e => e!["resource"]!)
            .Single(r => (string?)r["resourceType"] == "Communication");
        communication["payload"]![0]!.AsObject().Remove("contentString");
        return Encoding.UTF8.GetBytes(bundle.ToJsonString());
    }

    /// <summary>R-A-new (same sender as Tek-K) with a new MessageHeader.id and Tek-K's Bundle.id.</summary>
    private static byte[] ReusingTekKsBundleId(byte[] newMessage)
    {
        var tekKBundleId = (string)JsonNode.Parse(File.ReadAllBytes(PathOf(TekK)))!["id"]!;
        var text = Encoding.UTF8.GetString(newMessage);
        var headerId = (string)JsonNode.Parse(text)!["entry"]![0]!["resource"]!["id"]!;
        var bundle = JsonNode.Parse(text.Replace(headerId, Guid.NewGuid().ToString(), StringComparison.Ordinal))!;
        bundle["id"] = tekKBundleId;
        return Encoding.UTF8.GetBytes(bundle.ToJsonString());
    }
}
