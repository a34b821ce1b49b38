/* A bitmap of row ids, a bit for each id (word id / 64): the staff lists' sets met in memory
 * (store_appeal.c, store_problem.c, store_violation.c). Bounds are the caller's. */
#ifndef OTINISH_STORE_BITSET_H
#define OTINISH_STORE_BITSET_H

#include <stdint.h>

static inline int bitset_has(const uint64_t *bits, int64_t id)
{
    return (int)((bits[id >> 6] >> (id & 63)) & 1);
}

static inline void bitset_add(uint64_t *bits, int64_t id)
{
    bits[id >> 6] |= (uint64_t)1 << (id & 63);
}

#endif
