namespace Integration.Outbound.Ledger;

/// <summary>MedCom's reliable sending rules, as settings (section <c>Ledger</c>).</summary>
public sealed class LedgerOptions
{
    /// <summary>A sending without an acknowledgement after this long is resent (MedCom: 30 minutes).</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Resends after the first sending before the message is put in error (MedCom: at most twice).</summary>
    public int MaxResends { get; set; } = 2;

    /// <summary>Wait before resending after a transient-error acknowledgement or a failed delivery.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the sweeper looks for due resends.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(15);
}
