using System.Globalization;
using System.Text.RegularExpressions;

namespace Integration.Privacy;

/// <summary>CPR number handling: normalising, masking and a format check (modulus 11 is not required since 2007).</summary>
public static partial class Cpr
{
    /// <summary>The CPR digits without a hyphen.</summary>
    public static string Normalize(string cpr) => cpr.Replace("-", string.Empty, StringComparison.Ordinal).Trim();

    /// <summary>Birth date shown, serial number hidden: <c>250947-****</c>.</summary>
    public static string Mask(string? cpr)
    {
        if (string.IsNullOrWhiteSpace(cpr))
        {
            return string.Empty;
        }

        var digits = Normalize(cpr);
        return digits.Length >= 6 ? $"{digits[..6]}-****" : "****";
    }

    /// <summary>True when the value is ten digits and the first six are a real date (DDMMYY).</summary>
    public static bool IsWellFormed(string? cpr)
    {
        if (cpr is null)
        {
            return false;
        }

        var digits = Normalize(cpr);
        return digits.Length == 10
            && digits.All(char.IsAsciiDigit)
            && DateTime.TryParseExact(digits[..6], "ddMMyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
    }

    /// <summary>Replaces anything that looks like a CPR number (DDMMYY-XXXX or ten digits with a valid date) in free text.</summary>
    public static string MaskInText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return CprLike().Replace(text, m => IsWellFormed(m.Value) ? Mask(m.Value) : m.Value);
    }

    [GeneratedRegex(@"(?<!\d)\d{6}-?\d{4}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex CprLike();
}
