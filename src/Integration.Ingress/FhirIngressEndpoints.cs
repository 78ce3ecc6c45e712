using Integration.Fhir;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Ingress;

public static class FhirIngressEndpoints
{
    /// <summary>Largest body accepted; larger ones get 413 without being read.</summary>
    public const long MaxBodyBytes = 20 * 1024 * 1024;

    public static IServiceCollection AddIngress(this IServiceCollection services) => services.AddSingleton<MessageIngestion>();

    public static IEndpointRouteBuilder MapFhirIngress(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/fhir/$process-message", ProcessMessageAsync);
        return endpoints;
    }

    private static async Task<IResult> ProcessMessageAsync(HttpContext http, MessageIngestion ingestion, IOperationOutcomeWriter outcomes)
    {
        var sizeFeature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = MaxBodyBytes;
        }

        var contentType = http.Request.ContentType ?? string.Empty;
        byte[] body;
        try
        {
            body = await ReadBodyAsync(http.Request, http.RequestAborted);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Outcome(outcomes, StatusCodes.Status413PayloadTooLarge, "error", "too-costly", $"The body is larger than {MaxBodyBytes} bytes.");
        }
        catch (EndOfStreamException)
        {
            return Outcome(outcomes, StatusCodes.Status400BadRequest, "error", "incomplete", "The body is shorter than its Content-Length.");
        }

        var result = await ingestion.IngestAsync(body, DetectFormat(contentType, body), contentType, http.RequestAborted);
        switch (result.Outcome)
        {
            case IngestionOutcome.Rejected:
                return Outcome(outcomes, StatusCodes.Status400BadRequest, "error", "structure", result.Reason!);
            default:
                var location = $"/api/messages/{Uri.EscapeDataString(result.MessageHeaderId!)}";
                http.Response.Headers.Location = location;
                var text = result.Outcome == IngestionOutcome.Duplicate
                    ? $"Message {result.MessageHeaderId} is already known: not applied again; its acknowledgement is sent again."
                    : $"Message {result.MessageHeaderId} accepted; the acknowledgement follows on your delivery channel.";
                return Results.Text(outcomes.Write("information", "informational", text), "application/fhir+json", statusCode: StatusCodes.Status202Accepted);
        }
    }

    /// <summary>
    /// The body as received. One that declares its length is read straight into an array of that size: copying it into a
    /// growing MemoryStream and out again left about twice the body in garbage per message. A length is trusted in
    /// advance only up to <see cref="PreallocateUpTo"/>, so a client cannot reserve memory by declaring much and sending
    /// little; a larger body grows as it arrives.
    /// </summary>
    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } length and > 0 and <= PreallocateUpTo)
        {
            var declared = new byte[length];
            await request.Body.ReadExactlyAsync(declared, cancellationToken);
            return declared;
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private const int PreallocateUpTo = 1024 * 1024;

    /// <summary>The format ingress reads a body as: the Content-Type when it names JSON or XML, else the first significant
    /// byte; null when neither tells.</summary>
    public static FhirFormat? DetectFormat(string contentType, ReadOnlySpan<byte> body)
    {
        if (contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return FhirFormat.Json;
        }

        if (contentType.Contains("xml", StringComparison.OrdinalIgnoreCase))
        {
            return FhirFormat.Xml;
        }

        // No usable Content-Type: look at the first significant byte.
        foreach (var b in body)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF)
            {
                continue;
            }

            return b switch
            {
                (byte)'{' => FhirFormat.Json,
                (byte)'<' => FhirFormat.Xml,
                _ => null,
            };
        }

        return null;
    }

    private static IResult Outcome(IOperationOutcomeWriter outcomes, int status, string severity, string code, string text) =>
        Results.Text(outcomes.Write(severity, code, text), "application/fhir+json", statusCode: status);
}
