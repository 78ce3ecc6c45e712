using System.Text;

namespace Integration.EndToEnd.Tests.Robustness;

/// <summary>
/// Issue 3's corpus of malformed and hostile bodies, generated from MedCom's example messages. The cases, their names
/// and their bytes are the same on every run, except the fresh identities (Bundle.id, MessageHeader.id, synthetic CPR)
/// that keep the hub's dedupe from collapsing two cases.
/// </summary>
public static class MalformedCorpus
{
    public const string Json = "application/fhir+json";
    public const string Xml = "application/fhir+xml";

    private static readonly Lazy<IReadOnlyList<MalformedCase>> s_cases = new(Generate);

    public static IReadOnlyList<MalformedCase> Cases => s_cases.Value;

    private static List<MalformedCase> Generate()
    {
        var corpus = new CorpusBuilder();
        StructuralMutations.AddTo(corpus);
        MedComRuleMutations.AddTo(corpus);
        HostileBodies.AddTo(corpus);
        return corpus.Cases;
    }
}

/// <summary>Collects cases and names them <c>family/variant/example</c>.</summary>
public sealed class CorpusBuilder
{
    public List<MalformedCase> Cases { get; } = [];

    public void Reject(string family, string variant, string example, byte[] body, string? contentType = MalformedCorpus.Json) =>
        Cases.Add(new MalformedCase($"{family}/{variant}/{example}", family, body, contentType, ExpectedAnswer.Rejected400));

    public void Reject(string family, string variant, string example, string body, string? contentType = MalformedCorpus.Json) =>
        Reject(family, variant, example, Encoding.UTF8.GetBytes(body), contentType);

    /// <param name="issueCodes">the acceptable ACK issue codes; none for any <c>MSG_…</c> code</param>
    public void FatalErrorAck(string family, string variant, string example, string json, string messageHeaderId, params string[] issueCodes) =>
        Cases.Add(new MalformedCase($"{family}/{variant}/{example}", family, Encoding.UTF8.GetBytes(json), MalformedCorpus.Json, ExpectedAnswer.FatalErrorAck)
        {
            MessageHeaderId = messageHeaderId,
            IssueCodes = issueCodes,
        });
}
