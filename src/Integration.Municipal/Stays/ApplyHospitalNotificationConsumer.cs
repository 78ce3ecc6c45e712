using Integration.Contracts;
using MassTransit;

namespace Integration.Municipal.Stays;

public sealed class ApplyHospitalNotificationConsumer(HospitalNotificationHandler handler) : IConsumer<ApplyHospitalNotification>
{
    public Task Consume(ConsumeContext<ApplyHospitalNotification> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return handler.HandleAsync(context.Message);
    }
}

/// <summary>Every retry of a notification failed: see <see cref="TechnicalFailure"/>.</summary>
public sealed class ApplyHospitalNotificationFaultConsumer(TechnicalFailure failure) : IConsumer<Fault<ApplyHospitalNotification>>
{
    public Task Consume(ConsumeContext<Fault<ApplyHospitalNotification>> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return failure.RecordAsync(context.Message.Message.MessageId, context.Message.Exceptions, context.CancellationToken);
    }
}
