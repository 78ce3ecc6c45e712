using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;
using Hl7.Fhir.Validation;

namespace Integration.Fhir.Parsing;

/// <summary>Turns untrusted bytes into a Firely resource or a <see cref="ParseFailure"/>, within
/// <see cref="FhirParserLimits"/>. Thread-safe.</summary>
internal sealed partial class SafeFhirDeserializer(FhirParserLimits limits)
{
    // The strictness choice: Firely's Strict mode (unknown elements, wrong literals, codes outside FHIR's own
    // value sets, missing mandatory elements and duplicate properties all fail) plus validation of narratives
    // against FHIR's XHTML rules, done by NarrativeCheck after deserialization rather than by Firely (see there).
    // All MedCom example messages pass (see the tests).
    private static readonly DeserializerSettings Strict =
        new DeserializerSettings().UsingMode(DeserializationMode.Strict, NarrativeValidationKind.None);

    private static readonly FhirJsonDeserializer JsonDeserializer = new(Strict);
    private static readonly FhirXmlDeserializer XmlDeserializer = new(Strict);

    // Failure reasons go to logs and ACKs: a few issues and a bounded length are enough to act on.
    private const int MaxReportedIssues = 5;
    private const int MaxReasonLength = 1000;

    public FhirParserLimits Limits { get; } = limits;

    /// <summary>Deserializes a body. Never throws for bad input.</summary>
    public bool TryDeserialize(ReadOnlySpan<byte> body, FhirFormat format,
        [NotNullWhen(true)] out Resource? resource, [NotNullWhen(false)] out ParseFailure? failure)
    {
        resource = null;
        if (body.IsEmpty)
        {
            failure = new ParseFailure("The body is empty.", null);
            return false;
        }

        if (body.Length > Limits.MaxBodyBytes)
        {
            failure = new ParseFailure(
                $"The body is {body.Length} bytes; the limit is {Limits.MaxBodyBytes} bytes.", null);
            return false;
        }

        try
        {
            var parsed = format == FhirFormat.Xml
                ? TryDeserializeXml(body, out resource, out failure)
                : TryDeserializeJson(StripUtf8Bom(body), out resource, out failure);
            failure = parsed ? NarrativeCheck.Check(resource!, Limits.MaxDepth) : failure;
            if (failure is null && resource is not null)
            {
                return true;
            }

            failure ??= new ParseFailure("The body is not a FHIR resource.", null);
        }
        catch (JsonException ex)
        {
            failure = new ParseFailure($"The body is not well-formed JSON: {ex.Message}",
                ex.LineNumber is { } line ? $"line {line + 1}, byte {ex.BytePositionInLine + 1}" : null);
        }
        catch (XmlException ex)
        {
            failure = ex.Message.Contains("DTD", StringComparison.Ordinal)
                ? new ParseFailure("XML with a document type declaration (DOCTYPE/DTD) is not accepted.", XmlLocation(ex))
                : new ParseFailure($"The body is not well-formed XML: {ex.Message}", XmlLocation(ex));
        }
        catch (InsufficientExecutionStackException)
        {
            failure = new ParseFailure("The body is nested too deeply.", null);
        }
#pragma warning disable CA1031 // The contract is "fail, never throw": Firely may throw anything on hostile input.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failure = new ParseFailure(
                $"The body could not be read as FHIR {format.ToString().ToUpperInvariant()} ({ex.GetType().Name}).", null);
        }

        resource = null;
        failure = failure with { Reason = Truncate(failure.Reason) };
        return false;
    }

    private static string Truncate(string reason) =>
        reason.Length <= MaxReasonLength ? reason : string.Concat(reason.AsSpan(0, MaxReasonLength - 1), "…");

    /// <summary>Strips a UTF-8 byte order mark, which <see cref="Utf8JsonReader"/> rejects.</summary>
    public static ReadOnlySpan<byte> StripUtf8Bom(ReadOnlySpan<byte> body) =>
        body.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? body[3..] : body;

    private bool TryDeserializeJson(ReadOnlySpan<byte> body,
        [NotNullWhen(true)] out Resource? resource, [NotNullWhen(false)] out ParseFailure? failure)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions
        {
            MaxDepth = Limits.MaxDepth,
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
        });

        if (!JsonDeserializer.TryDeserializeResource(ref reader, out var parsed, out var issues))
        {
            resource = null;
            failure = FromIssues(issues, "JSON");
            return false;
        }

        // Firely stops after the root object; anything after it (other than whitespace) makes the body invalid.
        // Read() throws a JsonException for trailing garbage and returns false at the end of the data.
        if (reader.Read())
        {
            resource = null;
            failure = new ParseFailure("The body has content after the root JSON object.", null);
            return false;
        }

        resource = parsed;
        failure = null;
        return true;
    }

    private bool TryDeserializeXml(ReadOnlySpan<byte> body,
        [NotNullWhen(true)] out Resource? resource, [NotNullWhen(false)] out ParseFailure? failure)
    {
        var bytes = body.ToArray();

        // Pass 1 checks well-formedness, DTDs and depth with a streaming reader. Firely's XML deserializer
        // recurses per element, so depth must be bounded before it sees the document.
        using (var scan = XmlReader.Create(new MemoryStream(bytes, writable: false), ReaderSettings()))
        {
            while (scan.Read())
            {
                if (scan.Depth > Limits.MaxDepth)
                {
                    resource = null;
                    failure = new ParseFailure(
                        $"The XML is nested deeper than {Limits.MaxDepth} elements.", XmlLocation(scan));
                    return false;
                }
            }
        }

        using var reader = XmlReader.Create(new MemoryStream(bytes, writable: false), ReaderSettings());
        if (!XmlDeserializer.TryDeserializeResource(reader, out var parsed, out var issues))
        {
            resource = null;
            failure = FromIssues(issues, "XML");
            return false;
        }

        resource = parsed;
        failure = null;
        return true;
    }

    private XmlReaderSettings ReaderSettings() => new()
    {
        // No DTDs, hence no entity expansion, and no resolver: no file or network access from a document.
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = Limits.MaxBodyBytes,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    private static ParseFailure FromIssues(IEnumerable<CodedException> issues, string format)
    {
        var list = issues.ToList();
        if (list.Count == 0)
        {
            return new ParseFailure($"The body is not valid FHIR {format}.", null);
        }

        var described = string.Join("; ", list.Take(MaxReportedIssues).Select(Describe));
        var more = list.Count > MaxReportedIssues ? $"; and {list.Count - MaxReportedIssues} more" : "";
        var location = list[0] is ExtendedCodedException { InstancePath: { Length: > 0 } path } ? path : null;
        return new ParseFailure($"The body is not valid FHIR {format}: {described}{more}.", location);
    }

    private static string Describe(CodedException issue)
    {
        if (issue is ExtendedCodedException extended)
        {
            var at = string.IsNullOrEmpty(extended.InstancePath) ? "" : $" (at {extended.InstancePath})";
            return $"{issue.ErrorCode} {Redact(extended.BaseErrorMessage).TrimEnd('.')}{at}";
        }

        return $"{issue.ErrorCode} {Redact(issue.Message).TrimEnd('.')}";
    }

    // Firely quotes the offending value ("string '0101...' is not a correct literal for a date"). A value in the
    // wrong place may be a CPR number, and failure reasons end up in logs and ACKs: the path says where instead.
    private static string Redact(string message) => QuotedValue().Replace(message, "'…'");

    [GeneratedRegex("'[^']*'")]
    private static partial Regex QuotedValue();

    private static string? XmlLocation(XmlException ex) =>
        ex.LineNumber > 0 ? $"line {ex.LineNumber}, position {ex.LinePosition}" : null;

    private static string? XmlLocation(XmlReader reader) =>
        reader is IXmlLineInfo { } info && info.HasLineInfo()
            ? $"line {info.LineNumber}, position {info.LinePosition}"
            : null;
}
