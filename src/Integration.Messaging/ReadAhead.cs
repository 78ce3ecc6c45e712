using Microsoft.Extensions.Caching.Memory;

namespace Integration.Messaging;

/// <summary>
/// What one step has already read from a message (e.g. the facts of a HospitalNotification, read by ingress from the
/// Bundle it parsed), kept briefly in memory for the next step in this process, so that step need not parse the stored
/// message again. Only a shortcut: a step that finds nothing (another process, a restart, a retry, an entry that
/// expired) reads the stored message as before. Bounded in count and time. Holds values from messages (CPR numbers
/// among them): in memory only, never logged.
/// </summary>
public sealed class ReadAhead : IDisposable
{
    /// <summary>Long enough for a message to cross the broker to its handler under load; it is usually milliseconds.</summary>
    private static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(1);
    private const int MaxEntries = 10_000;

    private readonly MemoryCache _entries = new(new MemoryCacheOptions { SizeLimit = MaxEntries });

    public void Put<T>(Guid messageId, T facts)
        where T : class =>
        _entries.Set(messageId, facts, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = KeptFor });

    /// <summary>The facts put for the message, once; null when there are none (or of another type).</summary>
    public T? Take<T>(Guid messageId)
        where T : class
    {
        if (!_entries.TryGetValue(messageId, out var value))
        {
            return null;
        }

        _entries.Remove(messageId);
        return value as T;
    }

    public void Dispose() => _entries.Dispose();
}
