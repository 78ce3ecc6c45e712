using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Integration.Ids;

/// <summary>
/// A new id for anything the hub makes: a UUID version 7 (RFC 9562), whose first 48 bits are the Unix time in
/// milliseconds, so ids made later sort later and the index entries keyed by them land at an index's right edge
/// (docs/adr/0023-time-ordered-ids.md). The other 74 bits are random, from .NET's cryptographic random number generator
/// (<see cref="RandomNumberGenerator"/>), taken from a per-thread buffer filled 64 ids at a time: .NET on Linux reads
/// /dev/urandom once for every <see cref="Guid.CreateVersion7()"/> (a system call per id: 1.4–1.8 µs on this project's
/// host; docs/adr/0026-ids-from-buffered-random-bytes.md). Thread-safe.
/// </summary>
public static class TimeOrderedId
{
    private const int RandomBytesPerId = 10; // 74 random bits, rounded up to whole bytes
    private const int IdsPerFill = 64;

    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_used;

    public static Guid New() => New(DateTimeOffset.UtcNow);

    /// <summary>An id for <paramref name="at"/>: its time part is <paramref name="at"/>'s Unix time in milliseconds.</summary>
    public static Guid New(DateTimeOffset at)
    {
        var milliseconds = at.ToUnixTimeMilliseconds();
        if (milliseconds < 0)
        {
            // 48 bits of milliseconds reach past any DateTimeOffset (year 9999), but not before 1970.
            throw new ArgumentOutOfRangeException(nameof(at), at, "A UUID version 7 holds times from 1970 on.");
        }

        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes[..8], milliseconds << 16); // the 48-bit time first, big-endian
        TakeRandom(bytes[6..]);
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F)); // version 7, then 12 random bits (rand_a)
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F)); // the RFC's variant (binary 10), then 62 random bits (rand_b)
        return new Guid(bytes, bigEndian: true);
    }

    private static void TakeRandom(Span<byte> destination)
    {
        var random = t_random;
        if (random is null || t_used == random.Length)
        {
            random = t_random ??= new byte[RandomBytesPerId * IdsPerFill];
            RandomNumberGenerator.Fill(random);
            t_used = 0;
        }

        random.AsSpan(t_used, RandomBytesPerId).CopyTo(destination);
        t_used += RandomBytesPerId; // each random byte serves one id only
    }
}
