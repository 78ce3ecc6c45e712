using Integration.Fhir.Validation.Rules;

namespace Integration.Fhir.Tests.Validation;

public sealed class DanishIdentifierTests
{
    [Theory]
    [InlineData("5790000209354")] // MedCom's examples
    [InlineData("5790001348120")]
    [InlineData("5790001987244")]
    [InlineData("4006381333931")] // GS1's own worked example
    public void GivenRealGln_WhenCheckDigitTested_ThenValid(string gln)
    {
        Assert.True(DanishIdentifiers.IsGlnShaped(gln));
        Assert.True(DanishIdentifiers.HasValidGs1CheckDigit(gln));
    }

    [Theory]
    [InlineData("5790000209355")]
    [InlineData("5790000209350")]
    [InlineData("4006381333932")]
    public void GivenGlnWithWrongCheckDigit_WhenTested_ThenInvalid(string gln) =>
        Assert.False(DanishIdentifiers.HasValidGs1CheckDigit(gln));

    [Theory]
    [InlineData("579000020935")]
    [InlineData("57900002093541")]
    [InlineData("579000020935X")]
    [InlineData("")]
    [InlineData(null)]
    public void GivenValueThatIsNotThirteenDigits_WhenShapeTested_ThenNotGln(string? value) =>
        Assert.False(DanishIdentifiers.IsGlnShaped(value));

    [Theory]
    [InlineData("0101001234", true)]
    [InlineData("3112991234", true)]
    [InlineData("2902004000", true)] // 29 Feb 2000: 7th digit 4 and year ≤ 36 → 2000s
    [InlineData("2902000000", false)] // 29 Feb 1900: 7th digit 0 → 1900s, not a leap year
    [InlineData("2902965000", true)] // 29 Feb 1896: 7th digit 5 and year > 57 → 1800s, a leap year
    [InlineData("3102991234", false)]
    [InlineData("3201011234", false)]
    [InlineData("0013991234", false)]
    [InlineData("0001991234", false)]
    [InlineData("010199123", false)]
    [InlineData("01019912345", false)]
    [InlineData("010199-1234", false)]
    [InlineData("01019912A4", false)]
    [InlineData(null, false)]
    public void GivenCprCandidate_WhenFormatTested_ThenDateDecides(string? value, bool expected) =>
        Assert.Equal(expected, DanishIdentifiers.IsWellFormedCpr(value));
}
