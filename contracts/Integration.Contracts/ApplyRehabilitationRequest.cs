namespace Integration.Contracts;

/// <summary>
/// Router → the municipality's queue <c>municipality.{code}</c>: a training plan (genoptræningsplan) or a referral
/// (henvisning) that opens, revises or cancels a rehabilitation episode. <see cref="MessageType"/> says which.
/// </summary>
public sealed record ApplyRehabilitationRequest
{
    public required Guid MessageId { get; init; }
    /// <summary><see cref="MessageTypes.TrainingPlan"/> or <see cref="MessageTypes.Referral"/>.</summary>
    public required string MessageType { get; init; }
    public required string MunicipalityCode { get; init; }
    /// <summary>Registry id of the addressed municipal unit.</summary>
    public required string MunicipalPartnerId { get; init; }
    /// <summary>Registry id of the hospital or GP that sent it: it gets the episode's status.</summary>
    public required string SenderPartnerId { get; init; }
    public required string SenderKey { get; init; }
    public required string MessageHeaderId { get; init; }
    public required string CitizenKey { get; init; }
}
