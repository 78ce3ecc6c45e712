using System.Text.RegularExpressions;
using Integration.Persistence.Messages;

namespace Integration.Repair;

/// <summary>
/// Why a message failed or was parked, as a code an operator can group by: the first broken MedCom rule's id
/// (<c>rule</c>), the MedCom issue code the sender was answered with (<c>medcom</c>), or the kind of technical fault
/// (<c>technical</c>). Built from codes only, never from free text, so it never carries a CPR number or an identifier.
/// </summary>
public sealed partial record FailureReason(string Kind, string Code)
{
    public const string Rule = "rule";
    public const string MedCom = "medcom";
    public const string Technical = "technical";
    public const string Other = "other";

    /// <summary>The group key: state, kind and code, e.g. <c>parked.medcom.MSG_Receiver_Identifier_UNKNOWN</c>.</summary>
    public string KeyFor(MessageState state) => $"{state.ToString().ToLowerInvariant()}.{Kind}.{Code}";

    /// <param name="failureReason">The message's stored failure text.</param>
    /// <param name="acknowledgementIssueCode">The first MedCom issue code of the acknowledgement the sender got, if any.</param>
    public static FailureReason Of(string? failureReason, string? acknowledgementIssueCode)
    {
        if (failureReason is not null && TechnicalFault().Match(failureReason) is { Success: true } technical)
        {
            return new FailureReason(Technical, technical.Groups["type"].Value);
        }

        if (failureReason is not null && BrokenRule().Match(failureReason) is { Success: true } rule)
        {
            return new FailureReason(Rule, rule.Groups["rule"].Value);
        }

        if (acknowledgementIssueCode is not null && CodeShape().IsMatch(acknowledgementIssueCode))
        {
            return new FailureReason(MedCom, acknowledgementIssueCode);
        }

        // A municipal handler's rejection without an acknowledgement (or before it was read): "CODE at path; ...".
        if (failureReason is not null && LeadingCode().Match(failureReason) is { Success: true } code)
        {
            return new FailureReason(MedCom, code.Groups["code"].Value);
        }

        return new FailureReason(Other, "unclassified");
    }

    /// <summary>Reads a group key back; null when it is not one.</summary>
    public static (MessageState State, FailureReason Reason)? ParseKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parts = key.Split('.', 3);
        if (parts.Length != 3 || !Enum.TryParse<MessageState>(parts[0], ignoreCase: true, out var state)
            || state is not (MessageState.Failed or MessageState.Parked) || !CodeShape().IsMatch(parts[2]))
        {
            return null;
        }

        return parts[1] is Rule or MedCom or Technical or Other ? (state, new FailureReason(parts[1], parts[2])) : null;
    }

    [GeneratedRegex(@"^technical fault: (?<type>[A-Za-z0-9_.`]+)$")]
    private static partial Regex TechnicalFault();

    [GeneratedRegex(@"^\d+ MedCom rule\(s\) broken: (?<rule>[A-Za-z0-9_.\-]+) at ")]
    private static partial Regex BrokenRule();

    [GeneratedRegex(@"^(?<code>[A-Za-z][A-Za-z0-9_\-]*) at ")]
    private static partial Regex LeadingCode();

    [GeneratedRegex(@"^[A-Za-z0-9_.\-`]{1,128}$")]
    private static partial Regex CodeShape();
}
