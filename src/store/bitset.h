/* A bitmap of row ids, a bit for each id (word id / 64): the staff lists' sets met in memory
 * (store_appeal.c, store_problem.c, store_violation.c). Bounds are the caller's. */
#ifndef OTINISH_STORE_BITSET_H
#define OTINISH_STORE_BITSET_H

#include <stddef.h>
#include <stdint.h>

static inline int bitset_has(const uint64_t *bits, int64_t id)
{
    return (int)((bits[id >> 6] >> (id & 63)) & 1);
}

static inline void bitset_add(uint64_t *bits, int64_t id)
{
    bits[id >> 6] |= (uint64_t)1 << (id & 63);
}

/* The largest id below `below` in bits, -1 when none. */
static inline int64_t bitset_last(const uint64_t *bits, int64_t below)
{
    for (int64_t id = below - 1; id >= 0; id = (id & ~(int64_t)63) - 1) {
        uint64_t w = bits[id >> 6] & (~(uint64_t)0 >> (63 - (id & 63)));
        if (w)
            return (id & ~(int64_t)63) + 63 - __builtin_clzll(w);
    }
    return -1;
}

/* How many ids bits holds (words of them). */
static inline int64_t bitset_count(const uint64_t *bits, size_t words)
{
    int64_t n = 0;
    for (size_t w = 0; w < words; w++)
        n += __builtin_popcountll(bits[w]);
    return n;
}

#endif
