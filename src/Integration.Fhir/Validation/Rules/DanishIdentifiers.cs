using System.Globalization;

namespace Integration.Fhir.Validation.Rules;

/// <summary>Format checks of the Danish identifiers in MedCom messages: CPR, SOR and EAN/GLN.</summary>
internal static class DanishIdentifiers
{
    /// <summary>SOR codes have at least 11 digits (DOMAIN.md) and at most 18 (the SOR register's SCTID-based codes).</summary>
    public const int SorMinLength = 11;
    public const int SorMaxLength = 18;

    /// <summary>A CPR number: 10 digits whose first six are a real date (DDMMYY). No modulus-11 check: CPR numbers
    /// issued since 2007 need not satisfy it.</summary>
    public static bool IsWellFormedCpr(string? value)
    {
        if (value is not { Length: 10 } || !AllDigits(value))
        {
            return false;
        }

        var day = Number(value, 0, 2);
        var month = Number(value, 2, 2);
        var year = Century(Number(value, 4, 2), value[6] - '0') + Number(value, 4, 2);
        return month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
    }

    public static bool IsDigitsOnly(string? value) => value is { Length: > 0 } && AllDigits(value);

    /// <summary>13 digits (GTIN-13 / GLN).</summary>
    public static bool IsGlnShaped(string? value) => value is { Length: 13 } && AllDigits(value);

    /// <summary>GS1 mod-10: from the right, the digits before the check digit weigh 3, 1, 3, 1, …</summary>
    public static bool HasValidGs1CheckDigit(string value)
    {
        var sum = 0;
        for (var i = value.Length - 2; i >= 0; i--)
        {
            var weight = (value.Length - 2 - i) % 2 == 0 ? 3 : 1;
            sum += (value[i] - '0') * weight;
        }

        return (10 - (sum % 10)) % 10 == value[^1] - '0';
    }

    /// <summary>The CPR office's century table (7th digit and year), so that 29 February is judged in the right year.</summary>
    private static int Century(int yy, int seventhDigit) => seventhDigit switch
    {
        <= 3 => 1900,
        4 or 9 => yy <= 36 ? 2000 : 1900,
        _ => yy <= 57 ? 2000 : 1800,
    };

    private static bool AllDigits(string value)
    {
        foreach (var c in value)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static int Number(string value, int start, int length) =>
        int.Parse(value.AsSpan(start, length), NumberStyles.None, CultureInfo.InvariantCulture);
}
