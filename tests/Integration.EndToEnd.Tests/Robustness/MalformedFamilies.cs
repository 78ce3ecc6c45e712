namespace Integration.EndToEnd.Tests.Robustness;

/// <summary>The kinds of breakage in the corpus. The first ones are issue 3's own list.</summary>
public static class MalformedFamilies
{
    public const string Truncated = "truncated";
    public const string WrongJsonTypes = "wrong-json-types";
    public const string MissingMessageHeader = "missing-messageheader";
    public const string WrongEntryOrder = "wrong-entry-order";
    public const string UnknownEventCode = "unknown-event-code";
    public const string UnknownActivityCode = "unknown-activity-code";
    public const string UnknownCategoryCode = "unknown-category-code";
    public const string Body10Mb = "body-10mb";
    public const string DeeplyNested = "deeply-nested";
    public const string XmlDoctypeEntities = "xml-doctype-external-entity";
    public const string InvalidUtf8 = "invalid-utf8";
    public const string CprBadDate = "cpr-bad-date";

    // Beyond the issue's list.
    public const string BundleTypeNotMessage = "bundle-type-not-message";
    public const string EanBadCheckDigit = "ean-bad-check-digit";
    public const string NotAMessageBundle = "not-a-message-bundle";
    public const string JsonSyntax = "json-syntax";
    public const string WrongContentType = "wrong-content-type";
    public const string ManyEntries = "many-entries";

    /// <summary>Issue 3: "truncated, wrong types, missing MessageHeader, wrong entry order, unknown codes, 10 MB body,
    /// deeply nested JSON, XML with a DOCTYPE/external entity, invalid UTF-8, CPR with a bad date".</summary>
    public static IReadOnlyList<string> RequiredByIssue3 { get; } =
    [
        Truncated, WrongJsonTypes, MissingMessageHeader, WrongEntryOrder,
        UnknownEventCode, UnknownActivityCode, UnknownCategoryCode,
        Body10Mb, DeeplyNested, XmlDoctypeEntities, InvalidUtf8, CprBadDate,
    ];

    public static IReadOnlyList<string> All { get; } =
    [
        .. RequiredByIssue3,
        BundleTypeNotMessage, EanBadCheckDigit, NotAMessageBundle, JsonSyntax, WrongContentType, ManyEntries,
    ];
}
