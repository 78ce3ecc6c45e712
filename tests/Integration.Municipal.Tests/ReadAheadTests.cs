using Integration.Messaging;

namespace Integration.Municipal.Tests;

/// <summary>The facts ingress read for the municipal handler (ADR 0011): taken once, by the message they belong to.</summary>
[Trait("Category", "Unit")]
public sealed class ReadAheadTests : IDisposable
{
    private readonly ReadAhead _readAhead = new();

    public void Dispose() => _readAhead.Dispose();

    [Fact]
    public void GivenFactsPutForAMessage_WhenTaken_ThenTheyComeBackOnceAndOnlyForThatMessage()
    {
        var message = Guid.NewGuid();
        var facts = new Facts("STIN");
        _readAhead.Put(message, facts);

        Assert.Null(_readAhead.Take<Facts>(Guid.NewGuid()));
        Assert.Same(facts, _readAhead.Take<Facts>(message));
        Assert.Null(_readAhead.Take<Facts>(message)); // a redelivery reads the stored message again
    }

    [Fact]
    public void GivenFactsOfAnotherKind_WhenTaken_ThenNothing()
    {
        var message = Guid.NewGuid();
        _readAhead.Put(message, "not the facts asked for");

        Assert.Null(_readAhead.Take<Facts>(message));
    }

    private sealed record Facts(string Event);
}
