/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pagealloc: an address-ordered first-fit page allocator built on per-chunk
 * bitmaps and an implicit radix tree of packed summaries, after the design
 * of the Go runtime's page allocator.
 *
 * The same source compiles into the pagepool module, into the KUnit suite
 * and into a userspace library (see tools/include/ for the compatibility
 * header). Page numbers are plain 64-bit integers; the allocator never
 * touches the memory it manages. Callers serialise all calls on one
 * allocator. Documentation/pagealloc.rst describes the design.
 */
#ifndef _PAGEALLOC_H
#define _PAGEALLOC_H

#include <linux/bits.h>
#include <linux/types.h>

/* A chunk: the unit of growth and of the leaf summaries. */
#define PAGEALLOC_CHUNK_SHIFT	9
#define PAGEALLOC_CHUNK_PAGES	BIT(PAGEALLOC_CHUNK_SHIFT)
#define PAGEALLOC_CHUNK_WORDS	(PAGEALLOC_CHUNK_PAGES / 64)

/* The radix tree: 8 entries per block, 5 levels, level 0 is the root. */
#define PAGEALLOC_LEVEL_BITS	3
#define PAGEALLOC_LEVELS	5
#define PAGEALLOC_LEAF		(PAGEALLOC_LEVELS - 1)

/* Summary fields are 21 bits; a root entry covers exactly 2^21 pages. */
#define PAGEALLOC_SUM_BITS	(PAGEALLOC_CHUNK_SHIFT + \
				 PAGEALLOC_LEAF * PAGEALLOC_LEVEL_BITS)
#define PAGEALLOC_SUM_MAX	BIT_ULL(PAGEALLOC_SUM_BITS)
#define PAGEALLOC_SUM_ALL_FREE	BIT_ULL(63)

/* The largest capacity, in pages (128 TiB of 4 KiB pages). */
#define PAGEALLOC_MAX_PAGES	BIT_ULL(35)

/* Value of pagealloc::search when no page is known to be free. */
#define PAGEALLOC_NO_PAGE	(~0ULL)

/* Chunk bitmaps are allocated in blocks of this many chunks at grow time. */
#define PAGEALLOC_DIR_SHIFT	6
#define PAGEALLOC_DIR_CHUNKS	BIT(PAGEALLOC_DIR_SHIFT)

/* Levels of the scavenge candidate index (64-way, up to 2^30 chunks). */
#define PAGEALLOC_CAND_LEVELS	5

/**
 * struct pagealloc_chunk - the bitmaps of one chunk
 * @alloc: one bit per page, set while the page is allocated
 * @scav: one bit per page, set while the page is free and scavenged
 *	(in pagepool: known to be zero). Never set on an allocated page.
 * @inner: for each word of @alloc, the longest run of free pages strictly
 *	inside it (between its lowest and highest allocated page), so that
 *	summarising the chunk again needs only the words that changed
 * @stale: bit w set when @inner[w] is out of date (refreshed when the
 *	chunk is next summarised in full)
 * @nmax: at least this many free runs of the chunk are as long as its
 *	longest one (0 when not known), so that splitting one of them
 *	leaves the chunk's longest run as it was while another remains
 */
struct pagealloc_chunk {
	u64 alloc[PAGEALLOC_CHUNK_WORDS];
	u64 scav[PAGEALLOC_CHUNK_WORDS];
	u8 inner[PAGEALLOC_CHUNK_WORDS];
	u8 stale;
	u16 nmax;
};

/**
 * struct pagealloc - one page allocator
 * @capacity: pages the allocator may ever manage, a multiple of
 *	%PAGEALLOC_CHUNK_PAGES; page numbers run from 0 to @capacity - 1
 * @nchunks: @capacity in chunks
 * @level: the summary levels, @level[0] is the root and
 *	@level[%PAGEALLOC_LEAF] has one summary per chunk
 * @level_len: entries in each level (a multiple of 8 below the root)
 * @dir: chunk bitmaps, in blocks of %PAGEALLOC_DIR_CHUNKS chunks,
 *	allocated when a chunk in the block is first grown
 * @grown: one bit per chunk, set once the chunk is grown
 * @cand: scavenge candidate index; bit c of @cand[0] is set when chunk c
 *	may hold free pages that are not scavenged, bit w of @cand[k + 1] is
 *	set when word w of @cand[k] is not zero
 * @cand_levels: levels in use in @cand; the top one is a single word
 * @hot: the chunk whose leaf summary changed last, or %PAGEALLOC_NO_PAGE;
 *	its ancestors are brought up to date when another chunk changes or
 *	a search or an inspection needs them, so that a run of changes to
 *	one chunk pays for one walk up the tree
 * @hot_old: the leaf summary of @hot that its ancestors still reflect
 * @search: search hint; no page below it is free
 * @end_chunk: one past the highest grown chunk
 * @grown_pages: pages grown so far
 * @free_pages: grown pages that are free
 * @scav_pages: free pages that are scavenged
 * @origin: what page 0 stands for in alignment: pagealloc_alloc_aligned()
 *	aligns @origin + p, not p (pagepool sets the first page frame of the
 *	pool, so that alignment is physical); 0 unless
 *	pagealloc_set_origin() says otherwise. Nothing else depends on it.
 *
 * The fields are read-only outside pagealloc.c; they are public so that
 * debugging code (debugfs, tests) can walk the tree.
 */
struct pagealloc {
	u64 capacity;
	u64 nchunks;
	u64 *level[PAGEALLOC_LEVELS];
	u64 level_len[PAGEALLOC_LEVELS];
	struct pagealloc_chunk **dir;
	u64 *grown;
	u64 *cand[PAGEALLOC_CAND_LEVELS];
	unsigned int cand_levels;
	u64 hot;
	u64 hot_old;
	u64 search;
	u64 end_chunk;
	u64 grown_pages;
	u64 free_pages;
	u64 scav_pages;
	u64 origin;
};

/**
 * struct pagealloc_tally - counts a check made part by part
 * @grown: grown pages
 * @free: free pages
 * @scav: scavenged pages
 * @end_chunk: one past the highest grown chunk
 */
struct pagealloc_tally {
	u64 grown;
	u64 free;
	u64 scav;
	u64 end_chunk;
};

/**
 * pagealloc_level_log_pages() - log2 of the pages one summary covers
 * @level: tree level, 0 (root) to %PAGEALLOC_LEAF
 *
 * Return: 21 at the root down to 9 at the leaves.
 */
static inline unsigned int pagealloc_level_log_pages(unsigned int level)
{
	return PAGEALLOC_CHUNK_SHIFT +
	       (PAGEALLOC_LEAF - level) * PAGEALLOC_LEVEL_BITS;
}

/*
 * One field of a packed summary. The all-free code has no other bit set,
 * so its fields come out as 2^21 without a branch.
 */
static inline u64 pagealloc_sum_field(u64 sum, unsigned int shift)
{
	return ((sum >> shift) & (PAGEALLOC_SUM_MAX - 1)) |
	       (sum >> 63) << PAGEALLOC_SUM_BITS;
}

/**
 * pagealloc_sum_start() - free pages at the start of a summarised region
 * @sum: packed summary
 *
 * Return: the start field.
 */
static inline u64 pagealloc_sum_start(u64 sum)
{
	return pagealloc_sum_field(sum, 0);
}

/**
 * pagealloc_sum_max() - longest free run in a summarised region
 * @sum: packed summary
 *
 * Return: the max field.
 */
static inline u64 pagealloc_sum_max(u64 sum)
{
	return pagealloc_sum_field(sum, PAGEALLOC_SUM_BITS);
}

/**
 * pagealloc_sum_end() - free pages at the end of a summarised region
 * @sum: packed summary
 *
 * Return: the end field.
 */
static inline u64 pagealloc_sum_end(u64 sum)
{
	return pagealloc_sum_field(sum, 2 * PAGEALLOC_SUM_BITS);
}

/* Lifetime and growth. */
int pagealloc_init(struct pagealloc *pa, u64 capacity);
void pagealloc_destroy(struct pagealloc *pa);
int pagealloc_grow(struct pagealloc *pa, u64 base, u64 npages);

/* Allocation. */
int pagealloc_alloc(struct pagealloc *pa, u64 npages, u64 *base, u64 *scav);
int pagealloc_alloc_dirty(struct pagealloc *pa, u64 npages, u64 *base,
			  u64 *scav, u64 *dirty);
int pagealloc_alloc_aligned(struct pagealloc *pa, u64 npages, u64 align,
			    u64 *base, u64 *scav, u64 *dirty);
void pagealloc_set_origin(struct pagealloc *pa, u64 origin);
int pagealloc_free(struct pagealloc *pa, u64 base, u64 npages);
int pagealloc_take(struct pagealloc *pa, u64 base, u64 npages);
int pagealloc_dirty(struct pagealloc *pa, u64 base, u64 npages);

/*
 * Scavenging: marking free pages scavenged, highest addresses first as Go
 * does, or lowest first in two steps, so that the caller can work on the
 * pages (pagepool zeroes them) without holding its lock.
 */
int pagealloc_scavenge(struct pagealloc *pa, u64 npages, u64 *done);
u64 pagealloc_scavenge_find(struct pagealloc *pa, u64 max, u64 *base);
int pagealloc_scavenge_range(struct pagealloc *pa, u64 base, u64 npages,
			     u64 *done);

/* Inspection. */
void pagealloc_flush(struct pagealloc *pa);
int pagealloc_check(const struct pagealloc *pa, char *msg, size_t len);
int pagealloc_check_part(const struct pagealloc *pa, u64 sc, u64 ec,
			 struct pagealloc_tally *t, char *msg, size_t len);
int pagealloc_check_totals(const struct pagealloc *pa,
			   const struct pagealloc_tally *t, char *msg,
			   size_t len);
bool pagealloc_chunk_grown(const struct pagealloc *pa, u64 chunk);
u64 pagealloc_chunk_summary(const struct pagealloc *pa, u64 chunk);
const struct pagealloc_chunk *pagealloc_chunk(const struct pagealloc *pa,
					      u64 chunk);
u64 pagealloc_largest_free(struct pagealloc *pa);
bool pagealloc_next_run(const u64 *bits, u64 nbits, u64 *pos, u64 *len);
u64 pagealloc_metadata_bytes(const struct pagealloc *pa);
const char *pagealloc_strerror(int err);

#endif /* _PAGEALLOC_H */
