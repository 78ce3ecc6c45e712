namespace Integration.Fhir.Tests.Rehabilitation.Outgoing;

/// <summary>Requests for the municipality's outgoing messages, between organisations of deploy/embedded/partners.json:
/// Plejecenter Herlev (163) to the heart department at Herlev and Gentofte hospital, or to Arden Lægehus (GP).</summary>
internal static class OutgoingRequests
{
    /// <summary>Synthetic: 23 November 1950, not a MedCom example's citizen.</summary>
    public const string SyntheticCpr = "2311503788";

    public static readonly OrganizationIdentity Herlev = new("5790001348120", "953741000016009", "Plejecenter Herlev");
    public static readonly OrganizationIdentity Hospital = new("5790000209354", "265161000016000", "Hjerteafdelingen på Herlev og Gentofte hospital");
    public static readonly OrganizationIdentity Gp = new("5790001387419", "382871000016004", "Arden Lægehus");

    public static readonly DateTimeOffset CreatedAt = new(2025, 3, 10, 9, 5, 0, TimeSpan.FromHours(1));

    public static string Endpoint(OrganizationIdentity organization) => "https://sor2.sum.dsdn.dk/#id=" + organization.Sor;

    public static EpisodeStatusRequest Received(OrganizationIdentity? to = null) => new()
    {
        From = Herlev,
        FromEndpoint = Endpoint(Herlev),
        To = to ?? Hospital,
        ToEndpoint = Endpoint(to ?? Hospital),
        CitizenCpr = SyntheticCpr,
        EpisodeId = "urn:uuid:1f7a3c5e-9b2d-4e60-8a71-b3c4d5e6f708",
        AnsweredRequest = new RequestIdentifier("urn:uuid:ab592b56-e8aa-44e2-97e8-efa9d6cc8b9b", "urn:ietf:rfc:3986"),
        Status = EpisodeStatus.Received,
        ResponsibleUnit = new MunicipalUnit("Træningsenheden, Herlev Kommune", Phone: "+45 44 52 64 00"),
        CreatedAt = CreatedAt,
    };

    public static EpisodeStatusRequest StartPlanned() => Received() with { Status = EpisodeStatus.StartPlanned, PlannedStart = new DateOnly(2025, 3, 12) };

    public static EpisodeStatusRequest Started() => Received() with { Status = EpisodeStatus.Started, StartedOn = new DateOnly(2025, 3, 12) };

    public static EpisodeStatusRequest Completed(EpisodeOutcome outcome = EpisodeOutcome.SelfReliant) => Received(Gp) with
    {
        Status = EpisodeStatus.Completed,
        StartedOn = new DateOnly(2025, 3, 12),
        EndedOn = new DateOnly(2025, 6, 4),
        Outcome = outcome,
        CreatedAt = new DateTimeOffset(2025, 6, 4, 13, 20, 0, TimeSpan.FromHours(2)),
    };

    public static EpisodeStatusRequest Cancelled() => Received() with
    {
        Status = EpisodeStatus.Cancelled,
        CancelReason = "Borgeren har valgt en anden leverandør (frit valg).",
    };

    /// <summary>One request per status; Completed once per outcome.</summary>
    public static IEnumerable<EpisodeStatusRequest> EveryStatus() =>
    [
        Received(), StartPlanned(), Started(), Cancelled(),
        .. Enum.GetValues<EpisodeOutcome>().Select(Completed),
    ];

    public static AdmissionReportRequest AdmissionReport() => new()
    {
        From = Herlev,
        FromEndpoint = Endpoint(Herlev),
        To = Hospital,
        ToEndpoint = Endpoint(Hospital),
        CitizenCpr = SyntheticCpr,
        AnsweredNotificationMessageHeaderId = "4c3b2a19-8f7e-4d6c-b5a4-392817f6e5d4",
        StayIdentifier = "7e2d9c41-5b3a-11ef-9f1c-0242ac120003",
        Services =
        [
            new MunicipalService("Personlig pleje", ServiceLegalBasis.Serviceloven83, "Morgen og aften, dagligt"),
            new MunicipalService("Praktisk hjælp", ServiceLegalBasis.Serviceloven83, "Hver 14. dag"),
            new MunicipalService("Rehabiliteringsforløb", ServiceLegalBasis.Serviceloven83a, "3 gange ugentligt i 12 uger"),
            new MunicipalService("Socialpædagogisk støtte", ServiceLegalBasis.Serviceloven85, null),
            new MunicipalService("Vedligeholdende træning", ServiceLegalBasis.Serviceloven86, "Ugentligt"),
            new MunicipalService("Hjemmesygepleje <medicin & sår>", ServiceLegalBasis.Sundhedsloven138, "Hver 3. dag"),
            new MunicipalService("Genoptræning efter udskrivning", ServiceLegalBasis.Sundhedsloven140, "2 gange ugentligt"),
        ],
        Contact = new MunicipalUnit("Hjemmeplejen Herlev, Område Nord", "953741000016009", "+45 44 52 70 00", "Anne Holm"),
        CreatedAt = new DateTimeOffset(2025, 2, 18, 8, 47, 30, TimeSpan.FromHours(1)),
    };
}
