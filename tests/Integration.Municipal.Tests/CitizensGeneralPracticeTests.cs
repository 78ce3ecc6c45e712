using Integration.Municipal.Episodes;
using Integration.Partners;
using Microsoft.Extensions.Logging;

namespace Integration.Municipal.Tests;

[Trait("Category", "Unit")]
public sealed class CitizensGeneralPracticeTests
{
    private const string Hospital = "herlev-gentofte-hjerteafdeling";
    private const string MessageId = "82ff2d5b-b2ea-4814-8952-6007f1e9eebf";

    private static readonly PartnerRegistry Partners = new(
    [
        new Partner { Id = Hospital, Name = "Hjerteafdelingen", Kind = PartnerKind.Hospital, Sor = "265161000016000" },
        new Partner { Id = "arden-laegehus", Name = "Arden Lægehus", Kind = PartnerKind.GeneralPractice, Sor = "382871000016004" },
        new Partner { Id = "laegehuset-oesterbro", Name = "2100 Lægehuset Østerbro", Kind = PartnerKind.GeneralPractice, Sor = "1017421000016003" },
    ]);

    private readonly ListLogger _logger = new();

    [Fact]
    public void GivenAPlanNamingAKnownGpBySor_WhenResolved_ThenThatPractice()
    {
        Assert.Equal("arden-laegehus", Resolver().PartnerIdFor("382871000016004", Hospital, MessageId));
        Assert.Empty(_logger.Warnings);
    }

    [Fact]
    public void GivenAReferralFromAGpNamingNoGp_WhenResolved_ThenTheReferringPracticeIsTheCitizensGp() =>
        Assert.Equal("arden-laegehus", Resolver().PartnerIdFor(null, "arden-laegehus", MessageId));

    [Fact]
    public void GivenAReferralFromAGpNamingAnotherGp_WhenResolved_ThenTheNamedGp() =>
        Assert.Equal("laegehuset-oesterbro", Resolver().PartnerIdFor("1017421000016003", "arden-laegehus", MessageId));

    [Fact]
    public void GivenAHospitalPlanNamingNoGp_WhenResolved_ThenNoGp()
    {
        Assert.Null(Resolver().PartnerIdFor(null, Hospital, MessageId));
        Assert.Empty(_logger.Warnings);
    }

    [Theory]
    [InlineData("999999000016001")] // not in the registry
    [InlineData("265161000016000")] // in the registry, but a hospital
    public void GivenAGpTheRegistryDoesNotKnowAsAPractice_WhenResolved_ThenNoGpAndAWarningNamingTheMessage(string sor)
    {
        Assert.Null(Resolver().PartnerIdFor(sor, Hospital, MessageId));

        var warning = Assert.Single(_logger.Warnings);
        Assert.Contains(MessageId, warning, StringComparison.Ordinal);
        Assert.Contains(sor, warning, StringComparison.Ordinal);
    }

    private CitizensGeneralPractice Resolver() => new(Partners, _logger);

    private sealed class ListLogger : ILogger<CitizensGeneralPractice>
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                Warnings.Add(formatter(state, exception));
            }
        }
    }
}
