using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Integration.EndToEnd.Tests.Robustness;

/// <summary>
/// A POST that declares a body length and then waits for the answer before sending anything more. HttpClient cannot
/// show how the hub refuses an oversized body: it keeps writing after the refusal and fails with a broken pipe
/// (curl reads the answer fine).
/// </summary>
public static class DeclaredLengthProbe
{
    public static async Task<PostAnswer> PostAsync(Uri hub, long declaredLength, string contentType, byte[] firstBytes)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(firstBytes);
        using var client = new TcpClient();
        await client.ConnectAsync(hub.Host, hub.Port);
        await using var stream = client.GetStream();
        var head = string.Create(CultureInfo.InvariantCulture,
            $"POST /fhir/$process-message HTTP/1.1\r\nHost: {hub.Authority}\r\nContent-Type: {contentType}\r\nContent-Length: {declaredLength}\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(firstBytes);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var received = new MemoryStream();
        var buffer = new byte[8192];
        while (!HasWholeResponse(received.ToArray(), out _))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                break;
            }

            received.Write(buffer, 0, read);
        }

        return HasWholeResponse(received.ToArray(), out var answer) ? answer! : new PostAnswer(0, null, string.Empty, "connection closed without a whole answer");
    }

    private static bool HasWholeResponse(byte[] bytes, out PostAnswer? answer)
    {
        answer = null;
        var text = Encoding.UTF8.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        string? Header(string name) => lines.Skip(1)
            .Where(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
            .Select(l => l[(name.Length + 1)..].Trim())
            .FirstOrDefault();
        var length = int.Parse(Header("Content-Length") ?? "0", CultureInfo.InvariantCulture);
        var body = text[(end + 4)..];
        if (Encoding.UTF8.GetByteCount(body) < length)
        {
            return false;
        }

        answer = new PostAnswer(status, Header("Content-Type")?.Split(';')[0], body);
        return true;
    }
}
