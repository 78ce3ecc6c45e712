using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Integration.Fhir.Messaging;

/// <summary>Puts a message the hub sent into a new envelope for a resend: Bundle.id and Bundle.timestamp are replaced in
/// the JSON text and every other byte stays as it was, so the MessageHeader (and its id) is the one first sent. No FHIR
/// model is built: a scan of the top-level properties finds the two values.</summary>
internal sealed partial class MessageReenveloper : IMessageReenveloper
{
    public string Reenvelope(string fhirJson, string newBundleId, DateTimeOffset sentAt)
    {
        ArgumentNullException.ThrowIfNull(fhirJson);
        ArgumentException.ThrowIfNullOrWhiteSpace(newBundleId);
        if (!FhirId().IsMatch(newBundleId))
        {
            throw new ArgumentException("A Bundle.id must be 1-64 letters, digits, '-' or '.'.", nameof(newBundleId));
        }

        var json = Encoding.UTF8.GetBytes(fhirJson.TrimStart('\uFEFF'));
        Envelope envelope;
        try
        {
            envelope = Find(json) ?? throw new ArgumentException("The message is not a FHIR Bundle.", nameof(fhirJson));
        }
        catch (JsonException ex)
        {
            throw new ArgumentException("The message is not well-formed JSON.", nameof(fhirJson), ex);
        }

        var id = Quoted(newBundleId);
        var timestamp = Quoted(FhirInstant(sentAt));
        var edits = new List<(int Start, int Length, byte[] Text)>
        {
            envelope.Id is { } idSpan ? (idSpan.Start, idSpan.Length, id) : (envelope.InsertAt, 0, Property("id", id)),
            envelope.Timestamp is { } timestampSpan
                ? (timestampSpan.Start, timestampSpan.Length, timestamp)
                : (envelope.InsertAt, 0, Property("timestamp", timestamp)),
        };

        using var result = new MemoryStream(json.Length + 128);
        var position = 0;
        foreach (var (start, length, text) in edits.OrderBy(e => e.Start))
        {
            result.Write(json, position, start - position);
            result.Write(text);
            position = start + length;
        }

        result.Write(json, position, json.Length - position);
        return Encoding.UTF8.GetString(result.GetBuffer(), 0, (int)result.Length);
    }

    private readonly record struct TokenRange(int Start, int Length);

    /// <summary>Where the top-level id and timestamp values are (whole tokens, quotes included), and where a missing one is
    /// inserted: right after the resourceType value.</summary>
    private readonly record struct Envelope(TokenRange? Id, TokenRange? Timestamp, int InsertAt);

    /// <returns>null when the JSON is not an object with resourceType Bundle.</returns>
    private static Envelope? Find(byte[] json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 256 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        TokenRange? id = null, timestamp = null;
        var insertAt = -1;
        var isBundle = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            var value = new TokenRange((int)reader.TokenStartIndex, 0);
            reader.Skip();
            value = value with { Length = (int)reader.BytesConsumed - value.Start };
            switch (name)
            {
                case "resourceType":
                    isBundle = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("Bundle"u8);
                    insertAt = value.Start + value.Length;
                    break;
                case "id" when reader.TokenType == JsonTokenType.String:
                    id = value;
                    break;
                case "timestamp" when reader.TokenType == JsonTokenType.String:
                    timestamp = value;
                    break;
            }
        }

        return isBundle ? new Envelope(id, timestamp, insertAt) : null;
    }

    /// <summary>Both values are checked to need no JSON escaping (FHIR id characters; digits and <c>-:.+T</c>).</summary>
    private static byte[] Quoted(string value) => Encoding.UTF8.GetBytes($"\"{value}\"");

    private static byte[] Property(string name, byte[] value) =>
        [.. Encoding.UTF8.GetBytes($",\"{name}\":"), .. value];

    /// <summary>A FHIR instant with the sender's offset (MedCom: every timestamp carries a time zone).</summary>
    private static string FhirInstant(DateTimeOffset value) =>
        value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z0-9\\-\\.]{1,64}$")]
    private static partial Regex FhirId();
}
