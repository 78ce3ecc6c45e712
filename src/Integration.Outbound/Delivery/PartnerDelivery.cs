using System.Net.Http.Headers;
using Integration.Contracts;
using Integration.Messaging;
using Integration.Partners;
using MassTransit;

namespace Integration.Outbound.Delivery;

/// <summary>Delivers a FHIR message to a partner through the channel the registry gives it.</summary>
public sealed class PartnerDelivery(IHttpClientFactory httpClients, ISendEndpointProvider sendEndpoints)
{
    public const string HttpClientName = "partner-delivery";

    public async Task DeliverAsync(Partner partner, PartnerMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partner);
        ArgumentNullException.ThrowIfNull(message);
        switch (partner.Delivery.Type)
        {
            case DeliveryChannelType.Http:
                var endpoint = partner.Delivery.Endpoint
                    ?? throw new InvalidOperationException($"Partner {partner.Id} has an HTTP channel without an endpoint.");
                using (var content = new StringContent(message.FhirJson))
                {
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/fhir+json") { CharSet = "utf-8" };
                    // Retries with backoff and the per-partner circuit breaker live in the client's resilience pipeline.
                    using var response = await httpClients.CreateClient(HttpClientName).PostAsync(endpoint, content, cancellationToken);
                    if (!response.IsSuccessStatusCode)
                    {
                        throw new PartnerDeliveryException($"Partner {partner.Id} answered {(int)response.StatusCode}.");
                    }
                }

                break;
            case DeliveryChannelType.Queue:
                var queue = await sendEndpoints.GetSendEndpoint(new Uri($"queue:{partner.DeliveryQueue}"));
                await queue.Send(message, cancellationToken);
                break;
            default:
                throw new InvalidOperationException($"Unknown delivery channel {partner.Delivery.Type}.");
        }
    }
}

public sealed class PartnerDeliveryException : Exception
{
    public PartnerDeliveryException()
    {
    }

    public PartnerDeliveryException(string message)
        : base(message)
    {
    }

    public PartnerDeliveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
