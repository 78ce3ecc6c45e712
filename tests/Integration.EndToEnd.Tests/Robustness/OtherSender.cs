using System.Diagnostics;
using System.Net;
using Integration.Testing;

namespace Integration.EndToEnd.Tests.Robustness;

/// <summary>
/// A second hospital that keeps sending valid HospitalNotifications about its own (fresh) citizens while the corpus is
/// posted: Klinik for Ældresygdomme, AUH, in the embedded partner registry, acknowledged on its own queue.
/// </summary>
public sealed class OtherSender(HttpClient http)
{
    public const string PartnerId = "auh-aeldresygdomme";
    private const string Ean = "5790001987244";
    private const string Sor = "441211000016000";
    private const string ExampleHospitalEan = "5790000209354";
    private const string ExampleHospitalSor = "265161000016000";

    /// <summary>Admissions (STIN, STAA) from MedCom's examples: each opens a new stay for its fresh citizen.</summary>
    private static readonly string[] Admissions = ["a5e5b880", "h1c8e4a8", "m908i967", "n73ccf30"];

    public sealed record Sent(string MessageHeaderId, HttpStatusCode Status, TimeSpan Latency);

    /// <summary>Posts one message every <paramref name="interval"/> until <paramref name="stop"/>, and at least
    /// <paramref name="minimum"/> messages.</summary>
    public async Task<IReadOnlyList<Sent>> SendUntilAsync(int minimum, TimeSpan interval, CancellationToken stop)
    {
        var sent = new List<Sent>();
        while (!stop.IsCancellationRequested || sent.Count < minimum)
        {
            var message = Next(sent.Count);
            var clock = Stopwatch.StartNew();
            using (var response = await http.PostMessageAsync(message.Json))
            {
                sent.Add(new Sent(message.MessageHeaderId, response.StatusCode, clock.Elapsed));
            }

            await Task.Delay(interval, CancellationToken.None);
        }

        return sent;
    }

    /// <summary>MedCom's example, moved to this hospital (EAN, SOR and the source endpoint that names the SOR).</summary>
    private static ExampleVariants.Variant Next(int n)
    {
        var message = ExampleVariants.Fresh(MedComExamples.HospitalNotification(Admissions[n % Admissions.Length]));
        message = ExampleVariants.Replace(message, ExampleHospitalEan, Ean);
        return ExampleVariants.Replace(message, ExampleHospitalSor, Sor);
    }
}
