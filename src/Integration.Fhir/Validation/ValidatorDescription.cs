using System.Globalization;
using System.Text;

namespace Integration.Fhir;

// The validator's public surface besides IMessageValidator (PublicApi.cs): what it loaded, for start-up logs and tests.

/// <summary>A validator and a description of the rules it loaded.</summary>
public sealed record LoadedValidator(IMessageValidator Validator, ValidatorDescription Description);

/// <summary>What a MedCom validator checks: its built-in rules and, when a packages folder is configured, the invariants and
/// required bindings it took from MedCom's profile packages, with the ones it could not evaluate.</summary>
public sealed record ValidatorDescription
{
    /// <summary>The configured packages folder, or null for built-in rules only.</summary>
    public string? PackagesFolder { get; init; }
    /// <summary>Packages read from the folder, as <c>name#version</c>.</summary>
    public IReadOnlyList<string> Packages { get; init; } = [];
    /// <summary>The built-in rules (always on).</summary>
    public IReadOnlyList<BuiltInRule> BuiltInRules { get; init; } = [];
    /// <summary>Per message type and profile: the invariants and bindings loaded from the packages.</summary>
    public IReadOnlyList<LoadedProfileRules> Profiles { get; init; } = [];
    /// <summary>Package rules that are not evaluated, with the reason (they never reject a message).</summary>
    public IReadOnlyList<SkippedConstraint> Skipped { get; init; } = [];
    /// <summary>Problems while loading (a missing folder, an unreadable package, a missing package version).</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>A few lines for a start-up log.</summary>
    public string Summary()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"MedCom validation: {BuiltInRules.Count} built-in rules");
        if (PackagesFolder is null)
        {
            return text.Append("; no packages folder configured.").ToString();
        }

        text.Append(CultureInfo.InvariantCulture, $"; {Packages.Count} packages from {PackagesFolder}.");
        foreach (var profile in Profiles)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture,
                $"  {profile.MessageType}: {profile.Profile} ({profile.Package}) {profile.Invariants} invariants ({profile.NativeInvariants} in C#), {profile.Bindings} bindings");
        }

        foreach (var skipped in Skipped)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"  skipped {skipped.Key} of {skipped.Profile}: {skipped.Reason}");
        }

        foreach (var problem in Problems)
        {
            text.AppendLine().Append("  problem: ").Append(problem);
        }

        return text.ToString();
    }
}

/// <summary>A rule the validator has in code: its stable name, the MedCom issue detail code it reports, what it demands.</summary>
public sealed record BuiltInRule(string Name, string MedComCode, string Description);

/// <summary>The rules taken from one profile for one message type.</summary>
/// <param name="MessageType">MessageHeader.eventCoding.code, or <c>*</c> for message types without their own rules.</param>
/// <param name="Profile">The profile's canonical URL.</param>
/// <param name="Package">The package it came from, <c>name#version</c>.</param>
/// <param name="Invariants">MedCom invariants (FHIRPath constraints) evaluated; FHIR base constraints are not counted.</param>
/// <param name="Bindings">Required bindings to MedCom ValueSets checked.</param>
/// <param name="NativeInvariants">Of <paramref name="Invariants"/>, those run as C# (ADR 0014) rather than by Firely's
/// FHIRPath engine.</param>
public sealed record LoadedProfileRules(string MessageType, string Profile, string Package, int Invariants, int Bindings,
    int NativeInvariants = 0);

/// <summary>A package rule that is not evaluated. <see cref="Key"/> is the constraint key, or <c>binding:</c> and the element.</summary>
public sealed record SkippedConstraint(string Profile, string Key, string Expression, string Reason);
