namespace Integration.EndToEnd.Tests;

/// <summary>
/// The hub's <c>/api</c> endpoints need a signed-in person or a system's key. Tests call them as the embedded users
/// file's demo operator (its API key) unless a request brings its own key; <c>/fhir</c> calls are left as they are,
/// since the FHIR API's own keys and answers are what those tests are about.
/// </summary>
public sealed class OperatorApiKey : DelegatingHandler
{
    public const string Key = "operator-demo-key";
    /// <summary>Who the hub records (e.g. in the audit) for calls with <see cref="Key"/>.</summary>
    public const string UserName = "operator";

    private OperatorApiKey() : base(new HttpClientHandler())
    {
    }

    public static HttpClient Client(Uri baseAddress) => new(new OperatorApiKey()) { BaseAddress = baseAddress };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri && uri.AbsolutePath.StartsWith("/api/", StringComparison.Ordinal) && !request.Headers.Contains("X-Api-Key"))
        {
            request.Headers.Add("X-Api-Key", Key);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
