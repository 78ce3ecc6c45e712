using Integration.Monitoring.Search;

namespace Integration.Monitoring.Tests;

[Trait("Category", "Unit")]
public sealed class RawBodyMaskingTests
{
    [Fact]
    public void GivenBodiesWithTheCitizensCprInEveryForm_WhenMasked_ThenOnlyBirthDatesRemain()
    {
        const string json = """{"identifier":[{"system":"urn:oid:1.2.208.176.1.2","value":"0101909100"}],"note":"relative 311280-1234"}""";
        const string xml = """<identifier><system value="urn:oid:1.2.208.176.1.2"/><value value="0101909100"/></identifier>""";

        var maskedJson = RawBodies.Mask(json, "0101909100");
        var maskedXml = RawBodies.Mask(xml, "0101909100");

        Assert.Equal("""{"identifier":[{"system":"urn:oid:1.2.208.176.1.2","value":"010190-****"}],"note":"relative 311280-****"}""", maskedJson);
        Assert.Equal("""<identifier><system value="urn:oid:1.2.208.176.1.2"/><value value="010190-****"/></identifier>""", maskedXml);
    }

    [Fact]
    public void GivenACitizenNumberThatIsNoRealDate_WhenMasked_ThenItIsMaskedBecauseItIsTheMessagesCitizen()
    {
        // Test systems use numbers like this one; the general pattern skips them (no such date), the known value does not.
        Assert.Equal("""{"value":"999999-****"}""", RawBodies.Mask("""{"value":"9999999999"}""", "9999999999"));
        Assert.Equal("""{"value":"9999999999"}""", RawBodies.Mask("""{"value":"9999999999"}""", null));
    }
}
