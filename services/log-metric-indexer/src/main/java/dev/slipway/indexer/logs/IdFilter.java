package dev.slipway.indexer.logs;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A Bloom filter of the event ids in one partition. "Absent" is certain, so such a record can be
 * added without Lucene's delete-by-term ({@code updateDocument} makes every flush look each id up in
 * every segment: the most expensive part of ingest). "Maybe present" falls back to the update, so a
 * false positive costs time, never a duplicate. Fixed size: as a partition grows far past
 * {@link #BITS}/10 ids, false positives (and updates) become more frequent, never wrong.
 * Bits are set atomically; callers serialise check-and-add of the same id themselves.
 */
final class IdFilter {

    /** 2^25 bits = 4 MiB: under 1% false positives up to about 2.5 million ids, 14% at 8 million. */
    static final int BITS = 1 << 25;
    private static final int HASHES = 4;

    private final AtomicLongArray words = new AtomicLongArray(BITS / 64);

    /** Adds the id; false if it was (maybe) there already, true if it certainly was not. */
    boolean add(String id) {
        long h = hash(id);
        int h1 = (int) h;
        int h2 = (int) (h >>> 32) | 1; // odd: the probes never collapse onto one bit
        boolean added = false;
        for (int i = 0; i < HASHES; i++) {
            int bit = (h1 + i * h2) & (BITS - 1);
            long mask = 1L << (bit & 63);
            long before = words.getAndAccumulate(bit >>> 6, mask, (word, m) -> word | m);
            added |= (before & mask) == 0;
        }
        return added;
    }

    /** 64-bit FNV-1a then a finaliser (murmur3's fmix64): the two halves must be independent. */
    private static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h = (h ^ id.charAt(i)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb93fe53a87d5L;
        h ^= h >>> 33;
        return h;
    }
}
