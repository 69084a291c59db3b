/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pagealloc internals: the building blocks of pagealloc.c that its tests
 * (the KUnit suite, in the kernel and in userspace) check one by one. A
 * user of the allocator needs only pagealloc.h.
 */
#ifndef _PAGEALLOC_INTERNAL_H
#define _PAGEALLOC_INTERNAL_H

#include "pagealloc.h"

/**
 * pagealloc_sum_pack() - pack a summary
 * @start: free pages at the start of the region
 * @max: longest run of free pages in the region
 * @end: free pages at the end of the region
 *
 * Each value is below 2^21, or all three equal 2^21 (a completely free
 * root region), which is encoded as bit 63 alone.
 *
 * Return: the packed summary.
 */
static inline u64 pagealloc_sum_pack(u64 start, u64 max, u64 end)
{
	const u64 mask = PAGEALLOC_SUM_MAX - 1;

	if (max == PAGEALLOC_SUM_MAX)
		return PAGEALLOC_SUM_ALL_FREE;
	return (start & mask) | (max & mask) << PAGEALLOC_SUM_BITS |
	       (end & mask) << (2 * PAGEALLOC_SUM_BITS);
}

/* Building blocks the tests check one by one. */
u64 pagealloc_summarize(const u64 *bits);
u64 pagealloc_merge(const u64 *sums, unsigned int n, unsigned int log_pages);
unsigned int pagealloc_find_bit_run(u64 x, unsigned int n);
unsigned int pagealloc_chunk_find(const u64 *bits, u64 npages,
				  unsigned int search,
				  unsigned int *first_free);
unsigned int pagealloc_chunk_scav_candidate(const struct pagealloc_chunk *c,
					    u64 max, unsigned int *start);
unsigned int pagealloc_chunk_scav_lowest(const struct pagealloc_chunk *c,
					 u64 max, unsigned int *start);

/* pagealloc_chunk_find() and pagealloc_find_bit_run() found nothing. */
#define PAGEALLOC_NOT_FOUND	(~0U)

#endif /* _PAGEALLOC_INTERNAL_H */
