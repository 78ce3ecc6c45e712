namespace Integration.EndToEnd.Tests.Conformance;

/// <summary>What the hub did with one message: the outcome read from its HTTP answer and trace (null when it fits none of
/// MedCom's outcomes), every issue code of its ACK, what else the trace says, and anything wrong besides the outcome.</summary>
public sealed record Observation(Outcome? Outcome, IReadOnlyList<string> IssueCodes, string Detail, IReadOnlyList<string> Problems)
{
    /// <summary>The trace's history (step: detail), for a mismatch's report; empty when there is no trace.</summary>
    public IReadOnlyList<string> History { get; init; } = [];

    public static Observation Unexpected(string detail, IReadOnlyList<string>? history = null) =>
        new(null, [], detail, []) { History = history ?? [] };

    /// <summary>The outcome MedCom intends, with a fatal-error's code among the ACK's issue codes, and nothing else wrong.</summary>
    public bool Matches(Outcome expected) => Problems.Count == 0 && Outcome is not null && Same(expected, Outcome, IssueCodes);

    private static bool Same(Outcome expected, Outcome got, IReadOnlyList<string> codes) => (expected, got) switch
    {
        (Outcome.FatalError fatal, Outcome.FatalError) => codes.Contains(fatal.Code, StringComparer.Ordinal),
        (Outcome.Duplicate duplicate, Outcome.Duplicate gotDuplicate) => Same(duplicate.First, gotDuplicate.First, codes),
        _ => expected.GetType() == got.GetType(),
    };

    /// <summary>The "got" cell: the outcome (a fatal-error with all its codes), the detail, and any problem.</summary>
    public override string ToString()
    {
        var outcome = Outcome switch
        {
            null => "unexpected",
            Outcome.FatalError or Outcome.Duplicate { First: Outcome.FatalError } when IssueCodes.Distinct().Count() > 1 =>
                $"{Outcome} (all codes: {string.Join(", ", IssueCodes.Distinct())})",
            _ => Outcome.ToString(),
        };
        var text = string.IsNullOrEmpty(Detail) ? outcome : $"{outcome}: {Detail}";
        return Problems.Count == 0 ? text : $"{text}; PROBLEM: {string.Join("; ", Problems)}";
    }
}
