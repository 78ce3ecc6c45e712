using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.EndToEnd.Tests.Robustness;
using Integration.Privacy;

namespace Integration.EndToEnd.Tests.Conformance;

/// <summary>One row's result: what MedCom intends and what the hub did.</summary>
public sealed record RowResult(ConformanceRow Row, Observation Got)
{
    public bool Passed => Got.Matches(Row.Expected);
}

/// <summary>
/// Posts every row to the hub and reads what it did from the HTTP answer and the message's trace. Rows that depend on
/// each other's order (see <see cref="RowIdentity.OrderingKeys"/>) go one after another in table order, each waiting
/// for the previous one's final state; independent groups run side by side.
/// </summary>
public sealed class ConformanceRun(HubFixture hub)
{
    private const int GroupsInParallel = 6;
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long a duplicate is watched after its answer, for anything the hub should not do (apply it, answer twice).</summary>
    private static readonly TimeSpan DuplicateQuietTime = TimeSpan.FromMilliseconds(500);

    private readonly PartnerMailbox _mailbox = new(hub);

    private sealed record Prepared(int Index, ConformanceRow Row, byte[] Body, RowIdentity? Identity);

    public async Task<IReadOnlyList<RowResult>> RunAsync(IReadOnlyList<ConformanceRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var prepared = rows.Select((row, index) =>
        {
            var body = row.Body(); // once: a derived message may carry a new id each time it is made
            return new Prepared(index, row, body, RowIdentity.Of(body, row.ContentType));
        }).ToList();
        var results = new RowResult[rows.Count];
        await Parallel.ForEachAsync(OrderedGroups(prepared), new ParallelOptions { MaxDegreeOfParallelism = GroupsInParallel }, async (group, _) =>
        {
            foreach (var row in group)
            {
                results[row.Index] = new RowResult(row.Row, await ObserveAsync(row));
            }
        });
        return results;
    }

    /// <summary>Rows sharing an ordering key (directly or through others) form one group, kept in table order.</summary>
    private static List<List<Prepared>> OrderedGroups(IReadOnlyList<Prepared> rows)
    {
        var parent = Enumerable.Range(0, rows.Count).ToArray();
        int Root(int i) => parent[i] == i ? i : parent[i] = Root(parent[i]);
        var firstWithKey = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            // A derived row follows the file it is made from.
            foreach (var key in row.Identity?.OrderingKeys().Append($"file:{row.Row.Source}") ?? [$"file:{row.Row.Source}"])
            {
                if (firstWithKey.TryGetValue(key, out var other))
                {
                    parent[Root(row.Index)] = Root(other);
                }
                else
                {
                    firstWithKey[key] = row.Index;
                }
            }
        }

        return [.. rows.GroupBy(r => Root(r.Index)).Select(g => g.OrderBy(r => r.Index).ToList()).OrderBy(g => g[0].Index)];
    }

    private async Task<Observation> ObserveAsync(Prepared row)
    {
        var identity = row.Identity;
        var before = identity is null ? null : await TraceOfAsync(identity);
        IReadOnlyList<string> deliveredBefore = before?["acknowledgement"] is JsonObject && SenderPartner(before) is { } partner
            ? await _mailbox.AcknowledgementBundleIdsAsync(partner, identity!.MessageHeaderId)
            : [];

        var answer = await HubProbe.PostAsync(hub.Http, row.Body, row.Row.ContentType);

        if (answer.Status == 400)
        {
            return new Observation(new Outcome.Rejected400(), [], Diagnostics(answer.Body), []);
        }

        if (answer.Status != 202)
        {
            return Observation.Unexpected($"HTTP {answer.Status} {answer.TransportError}".Trim());
        }

        if (identity is null || answer.AcceptedMessageHeaderId != identity.MessageHeaderId)
        {
            return Observation.Unexpected($"202 for MessageHeader.id {answer.AcceptedMessageHeaderId}, the test read {identity?.MessageHeaderId ?? "no message"}");
        }

        return before is null ? await ObserveNewAsync(identity) : await ObserveDuplicateAsync(identity, before, deliveredBefore);
    }

    private async Task<Observation> ObserveNewAsync(RowIdentity identity)
    {
        var (trace, timedOut) = await WaitAsync(identity, Settled);
        if (trace is null)
        {
            return Observation.Unexpected($"no trace after {SettleTimeout.TotalSeconds} s");
        }

        var observation = Classify(trace);
        return timedOut ? observation with { Problems = [.. observation.Problems, $"still {State(trace)} after {SettleTimeout.TotalSeconds} s"] } : observation;
    }

    /// <summary>A message the hub has from this sender already: counted, nothing applied, and the first answer again.</summary>
    private async Task<Observation> ObserveDuplicateAsync(RowIdentity identity, JsonNode before, IReadOnlyList<string> deliveredBefore)
    {
        var firstAck = before["acknowledgement"] as JsonObject;
        var duplicatesBefore = Duplicates(before);
        var ackDeliveriesBefore = Steps(before, "ack-delivered");
        var (trace, timedOut) = await WaitAsync(identity, t =>
            Duplicates(t) > duplicatesBefore && (firstAck is null || Steps(t, "ack-delivered") > ackDeliveriesBefore));
        await Task.Delay(DuplicateQuietTime);
        trace = await TraceOfAsync(identity) ?? trace;
        var first = Classify(trace!);
        var problems = first.Problems.ToList();
        if (timedOut)
        {
            problems.Add($"after {SettleTimeout.TotalSeconds} s: duplicates {Duplicates(trace!)} (was {duplicatesBefore}), ACK deliveries {Steps(trace!, "ack-delivered")} (was {ackDeliveriesBefore})");
        }

        var ack = trace!["acknowledgement"] as JsonObject;
        string answer;
        if (firstAck is not null)
        {
            var partner = SenderPartner(trace) ?? "the sender";
            var ackBundleId = (string?)ack?["bundleId"];
            if (ackBundleId != (string?)firstAck["bundleId"])
            {
                problems.Add("the trace shows another ACK than before");
            }

            var delivered = await _mailbox.AcknowledgementBundleIdsAsync(partner, identity.MessageHeaderId);
            if (delivered.Count != deliveredBefore.Count + 1 || delivered.Any(id => id != ackBundleId))
            {
                problems.Add($"{partner} holds {delivered.Count} ACK(s) for it ({deliveredBefore.Count} before), Bundle.ids {string.Join(", ", delivered.Distinct())}, expected one more copy of the first ACK");
            }

            answer = $"the first ACK (same Bundle.id) delivered to {partner} again";
        }
        else
        {
            if (ack is not null || Steps(trace, "ack-resent") > 0 || Steps(trace, "ack-created") > 0)
            {
                problems.Add("the hub answered it, though the first got no ACK");
            }

            answer = "nothing sent";
        }

        // Nothing but the duplicate itself and, where the first had an ACK, that ACK again: nothing applied, nothing new sent.
        var allowed = firstAck is null ? new[] { "duplicate" } : ["duplicate", "ack-resent", "ack-delivered"];
        var newSteps = StepNames(trace).ToList();
        foreach (var step in StepNames(before))
        {
            newSteps.Remove(step);
        }

        if (newSteps.Where(s => !allowed.Contains(s)).ToList() is { Count: > 0 } unexpected)
        {
            problems.Add($"the duplicate also caused: {string.Join(", ", unexpected)}");
        }

        var envelope = LastStep(trace, "duplicate")?.StartsWith("same Bundle", StringComparison.Ordinal) == true
            ? "same Bundle.id again (lost response)"
            : "new Bundle.id (resend)";
        return new Observation(first.Outcome is null ? null : new Outcome.Duplicate(first.Outcome), first.IssueCodes,
            $"{envelope}; {answer}; first: {first.Detail}", problems) { History = first.History };
    }

    /// <summary>The outcome a settled trace shows.</summary>
    private static Observation Classify(JsonNode trace)
    {
        var history = History(trace);
        var ack = trace["acknowledgement"] as JsonObject;
        var sending = trace["sending"] as JsonObject;
        var state = State(trace);
        var codes = ack?["issueCodes"]?.AsArray().Select(c => (string?)c ?? "").ToList() ?? [];
        if ((string?)trace["type"] == "acknowledgement-message")
        {
            var match = history.Any(h => h.StartsWith("ack-matched", StringComparison.Ordinal)) ? "matched to a message the hub sent"
                : history.Any(h => h.StartsWith("ack-unmatched", StringComparison.Ordinal)) ? "unmatched"
                : null;
            if (ack is not null)
            {
                return Observation.Unexpected($"the hub acknowledged an acknowledgement ({(string?)ack["code"]})", history);
            }

            if (match is null)
            {
                return Observation.Unexpected($"ACK {state}: {(string?)trace["failureReason"]}", history);
            }

            // A matched ACK goes back, unchanged, to the partner the answered message came from.
            var relayed = LastStep(trace, "ack-relayed") is { } passedOn ? $", {passedOn[passedOn.IndexOf("passed on", StringComparison.Ordinal)..]}" : "";
            var relayProblems = LastStep(trace, "ack-relay-failed") is { } failed ? new[] { $"not passed on: {failed}" } : [];
            return new Observation(new Outcome.AckReceivedNotAcknowledged(), [], $"{(string?)trace["eventCode"]} ACK, {match}{relayed}", relayProblems) { History = history };
        }

        if (ack is not null && sending is not null)
        {
            return Observation.Unexpected($"both acknowledged ({(string?)ack["code"]}) and sent on", history);
        }

        if (ack is not null)
        {
            var problems = new List<string>();
            if (ack["delivered"]?.GetValue<bool>() != true)
            {
                problems.Add($"ACK not delivered: {(string?)ack["lastDeliveryError"]}");
            }

            var where = (string?)trace["municipality"] is { } municipality ? $"in municipality {municipality}" : null;
            var detail = string.Join(" ", new[] { state, (string?)trace["eventCode"], where }.Where(p => !string.IsNullOrEmpty(p)));
            Outcome? outcome = (string?)ack["code"] switch
            {
                "ok" => new Outcome.Ok(),
                "fatal-error" => new Outcome.FatalError(codes.FirstOrDefault() ?? "no issue code"),
                _ => null,
            };
            return outcome is null
                ? Observation.Unexpected($"{(string?)ack["code"]} ACK {string.Join(", ", codes)}", history)
                : new Observation(outcome, codes, detail, problems) { History = history };
        }

        if (sending is not null)
        {
            var how = history.Any(h => h.StartsWith("relayed", StringComparison.Ordinal)) ? "relayed" : "outgoing";
            return new Observation(new Outcome.SentOn(), [], $"{how} to {(string?)sending["receiver"]}, {(string?)sending["state"]}", []) { History = history };
        }

        return Observation.Unexpected($"{state}, neither acknowledged nor sent on: {(string?)trace["failureReason"]}", history);
    }

    /// <summary>Final: routed and handled, its ACK delivered (or failed), a message sent on handed to the receiver, a
    /// matched ACK passed back (or failed to be).</summary>
    private static bool Settled(JsonNode trace) =>
        State(trace) is not ("received" or "routed")
        && (trace["acknowledgement"] is not JsonObject ack || ack["deliveryAttempts"]?.GetValue<int>() >= 1)
        && (string?)trace["sending"]?["state"] != "sent"
        && (Steps(trace, "ack-matched") == 0 || Steps(trace, "ack-relayed") + Steps(trace, "ack-relay-failed") > 0);

    private async Task<(JsonNode? Trace, bool TimedOut)> WaitAsync(RowIdentity identity, Func<JsonNode, bool> done)
    {
        var deadline = DateTime.UtcNow + SettleTimeout;
        while (true)
        {
            var trace = await TraceOfAsync(identity);
            if (trace is not null && done(trace))
            {
                return (trace, false);
            }

            if (DateTime.UtcNow > deadline)
            {
                return (trace, true);
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The trace by MessageHeader.id, if it is this sender's message (two senders may use one id).</summary>
    private async Task<JsonNode?> TraceOfAsync(RowIdentity identity)
    {
        var trace = await HubProbe.TraceAsync(hub.Http, identity.MessageHeaderId);
        return trace is not null
               && (string?)trace["sender"]?["ean"] == identity.SenderEan
               && (string?)trace["sender"]?["sor"] == identity.SenderSor
            ? trace
            : null;
    }

    private static string? SenderPartner(JsonNode trace) => (string?)trace["sender"]?["partnerId"];

    private static string State(JsonNode trace) => (string?)trace["state"] ?? "unknown";

    private static int Duplicates(JsonNode trace) => trace["duplicates"]?.GetValue<int>() ?? 0;

    private static JsonArray Steps(JsonNode trace) => trace["history"]?.AsArray() ?? [];

    private static int Steps(JsonNode trace, string step) => Steps(trace).Count(s => (string?)s?["step"] == step);

    private static IEnumerable<string> StepNames(JsonNode trace) => Steps(trace).Select(s => (string?)s?["step"] ?? "");

    private static string? LastStep(JsonNode trace, string step) =>
        Steps(trace).LastOrDefault(s => (string?)s?["step"] == step)?["detail"]?.GetValue<string>();

    private static List<string> History(JsonNode trace) =>
        [.. Steps(trace).Select(s => Cpr.MaskInText($"{(string?)s?["step"]}: {(string?)s?["detail"]}"))];

    /// <summary>The 400's reason, from its OperationOutcome, short.</summary>
    private static string Diagnostics(string body)
    {
        string? text;
        try
        {
            text = (string?)JsonNode.Parse(body)?["issue"]?[0]?["diagnostics"];
        }
        catch (JsonException)
        {
            text = null;
        }

        text = Cpr.MaskInText(text ?? "no OperationOutcome");
        text = text.Split("; ")[0]; // the first of several parse errors says enough
        return text.Length <= 140 ? text : text[..139] + "…";
    }
}
