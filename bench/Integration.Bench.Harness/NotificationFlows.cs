using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Integration.Bench.Harness;

/// <summary>One message of the simulated traffic, ready to post.</summary>
internal sealed record BenchMessage(byte[] Body, string MessageHeaderId, string MunicipalityCode);

/// <summary>
/// A citizen's hospital stay as MedCom's HospitalNotification IG tells it: admission (STIN), leave (STOR), return from
/// leave (SLOR), discharge home (SLHJ), made from MedCom's own four example Bundles with a fresh Bundle.id and
/// MessageHeader.id per message (the later messages' Provenance still points at the earlier ones), a fresh stay
/// (Encounter.episodeOfCare identifier), a synthetic citizen, and the chosen hospital and municipal unit as sender and
/// receiver. MedCom's files are read where they are, never copied.
/// </summary>
internal sealed class NotificationFlows
{
    public const int Steps = 4;

    // What MedCom's examples use and every message replaces.
    private const string ExampleCpr = "2509479989";
    private const string ExampleReceiverEan = "5790001348120";
    private const string ExampleReceiverSor = "953741000016009";
    private const string ExampleSenderEan = "5790000209354";
    private const string ExampleSenderSor = "265161000016000";

    /// <summary>STIN, STOR, SLOR, SLHJ of one stay in MedCom's IG.</summary>
    private static readonly string[] ExampleFiles =
    [
        "Bundle-a5e5b880-c087-4055-b9ec-99108695f81d.json",
        "Bundle-d3128d9b-cede-4c7f-8904-809eab322d7d.json",
        "Bundle-e94de8ee-bd94-475e-b454-b8fbbef8a685.json",
        "Bundle-f4aa42a4-86db-4e68-9b38-9dda0dfd5774.json",
    ];

    private readonly Template[] _templates;
    private readonly string[] _headerIds;
    private readonly string _stayId;
    private readonly int _run = Random.Shared.Next();

    private NotificationFlows(Template[] templates, string[] headerIds, string stayId)
    {
        _templates = templates;
        _headerIds = headerIds;
        _stayId = stayId;
    }

    /// <summary>The average size of a message body, for the report.</summary>
    public int AverageBodyBytes => (int)_templates.Average(t => Encoding.UTF8.GetByteCount(t.Json));

    public static NotificationFlows Load(string hospitalNotificationFolder)
    {
        var templates = ExampleFiles.Select(f => Template.Read(Path.Combine(hospitalNotificationFolder, f))).ToArray();
        var stayIds = templates.Select(t => t.StayId).Distinct(StringComparer.Ordinal).ToList();
        if (stayIds.Count != 1)
        {
            throw new InvalidDataException("MedCom's four examples no longer describe one stay; the bench's flow needs revisiting.");
        }

        foreach (var template in templates)
        {
            foreach (var expected in new[] { ExampleCpr, ExampleReceiverEan, ExampleReceiverSor, ExampleSenderEan, ExampleSenderSor })
            {
                if (!template.Json.Contains(expected, StringComparison.Ordinal))
                {
                    throw new InvalidDataException($"{template.File} no longer contains an identifier the bench replaces (CPR, sender or receiver); the replacements need revisiting.");
                }
            }
        }

        return new NotificationFlows(templates, [.. templates.Select(t => t.HeaderId)], stayIds[0]);
    }

    /// <summary>Message <paramref name="step"/> (0 = STIN … 3 = SLHJ) of stay number <paramref name="flow"/>.</summary>
    public BenchMessage Create(long flow, int step, BenchOrganisation hospital, BenchOrganisation municipalUnit)
    {
        ArgumentNullException.ThrowIfNull(hospital);
        ArgumentNullException.ThrowIfNull(municipalUnit);
        var template = _templates[step];
        var json = new StringBuilder(template.Json)
            .Replace(template.BundleId, Id(flow, step, 1))
            .Replace(_stayId, Id(flow, 0, 2))
            .Replace(ExampleCpr, Cpr(flow))
            .Replace(ExampleReceiverEan, municipalUnit.Ean)
            .Replace(ExampleReceiverSor, municipalUnit.Sor)
            .Replace(ExampleSenderEan, hospital.Ean)
            .Replace(ExampleSenderSor, hospital.Sor);
        // This message's header and the earlier ones its Provenance entries name.
        for (var earlier = 0; earlier <= step; earlier++)
        {
            json.Replace(_headerIds[earlier], Id(flow, earlier, 0));
        }

        return new BenchMessage(Encoding.UTF8.GetBytes(json.ToString()), Id(flow, step, 0), municipalUnit.MunicipalityCode!);
    }

    /// <summary>Unique per run, flow, step and kind (0 header, 1 bundle, 2 stay), in UUID form.</summary>
    private string Id(long flow, int step, int kind) =>
        new Guid(_run, (short)step, (short)kind, BitConverter.GetBytes(flow)).ToString();

    /// <summary>
    /// A well-formed synthetic CPR number per flow: a birth date from 1930 on and a serial whose first digit (0–3) puts
    /// it in the 1900s, so the check of the date holds; unique for 100 million flows.
    /// </summary>
    private static string Cpr(long flow)
    {
        var birth = new DateTime(1930, 1, 1, 0, 0, 0, DateTimeKind.Unspecified).AddDays(flow % 25_000);
        var serial = flow / 25_000 % 4_000;
        return birth.ToString("ddMMyy", CultureInfo.InvariantCulture) + serial.ToString("D4", CultureInfo.InvariantCulture);
    }

    private sealed record Template(string File, string Json, string BundleId, string HeaderId, string StayId)
    {
        public static Template Read(string path)
        {
            var json = System.IO.File.ReadAllText(path);
            var bundle = JsonNode.Parse(json)!;
            var entries = bundle["entry"]!.AsArray();
            var encounter = entries.Select(e => e!["resource"]!).First(r => (string?)r["resourceType"] == "Encounter");
            return new Template(
                Path.GetFileName(path),
                json,
                (string)bundle["id"]!,
                (string)entries[0]!["resource"]!["id"]!,
                (string)encounter["episodeOfCare"]![0]!["identifier"]!["value"]!);
        }
    }
}
