namespace Integration.Fhir;

/// <summary>Resource limits for reading untrusted FHIR bodies. A body beyond them fails to parse; it never
/// exhausts memory or the stack.</summary>
public sealed record FhirParserLimits
{
    /// <summary>20 MB and 64 levels: well above any MedCom message seen, including attachments.</summary>
    public static FhirParserLimits Default { get; } = new();

    /// <summary>Largest accepted body in bytes (UTF-8 for JSON; as received for XML).</summary>
    public int MaxBodyBytes { get; init; } = 20 * 1024 * 1024;

    /// <summary>Deepest accepted nesting: JSON objects and arrays, or XML elements.</summary>
    public int MaxDepth { get; init; } = 64;
}
