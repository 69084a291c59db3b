// SPDX-License-Identifier: GPL-2.0
/*
 * pagealloc: address-ordered first-fit page allocation in logarithmic time.
 *
 * Pages are grouped in chunks of 512. Each chunk has an allocation bitmap
 * and a scavenged bitmap. Above the chunks sits an implicit radix tree: five
 * levels of packed summaries stored as flat arrays, eight children to an
 * entry, each summary telling how many free pages its region starts with,
 * ends with and holds in its longest run. A search walks down from the
 * root, at each level taking the first entry whose longest run fits, or
 * stopping at the first boundary across which enough free pages meet.
 *
 * The design is that of the Go runtime's page allocator (Go 1.21,
 * runtime/mpagealloc.go); Documentation/pagealloc.rst describes it as built.
 *
 * Naming conventions
 * ==================
 *
 * Every range is half-open: [start, end) holds start but not end, whether
 * its ends are pages, bits, words, chunks or entries. A range given as a
 * first page and a count is [base, base + npages).
 *
 *   base, npages  first page of a range and its length in pages
 *   end, limit    one past the last page of a range
 *   c, sc, ec     a chunk index; the chunks of a range are [sc, ec)
 *   lo, hi        page indices inside one chunk, [lo, hi), 0 <= lo < hi <=
 *                 512; i, n a run [i, i + n) inside a chunk; a, b the free
 *                 run around it
 *   w             a word of a chunk's bitmaps, pages [64w, 64w + 64)
 *   l             a level of the tree, 0 the root, LEAF the chunks
 *   i, idx, p     an entry of a level; p its parent's index in level l - 1
 *   j, j0, jf     an entry inside a block of eight (or of the root level):
 *                 the one chosen, the first scanned, the first with a free
 *                 page
 *   sum, s, m, e  a packed summary and its start, max and end fields
 *   span, shift   pages one entry covers, and its log2
 *   k             an index into the scavenge candidate levels, or a loop
 *                 counter
 */

#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "pagealloc_internal.h"

#define CHUNK_PAGES	PAGEALLOC_CHUNK_PAGES
#define CHUNK_SHIFT	PAGEALLOC_CHUNK_SHIFT
#define CHUNK_WORDS	PAGEALLOC_CHUNK_WORDS
#define LEAF		PAGEALLOC_LEAF
#define BLOCK		BIT(PAGEALLOC_LEVEL_BITS)
#define NOT_FOUND	PAGEALLOC_NOT_FOUND
#define NO_PAGE		PAGEALLOC_NO_PAGE

/* The start and end fields of a packed summary. */
#define SUM_EDGES	((PAGEALLOC_SUM_MAX - 1) | \
			 (PAGEALLOC_SUM_MAX - 1) << (2 * PAGEALLOC_SUM_BITS))

/* The leaf summary of a chunk with no page allocated. */
#define FREE_CHUNK_SUM	(CHUNK_PAGES | (u64)CHUNK_PAGES << PAGEALLOC_SUM_BITS | \
			 (u64)CHUNK_PAGES << (2 * PAGEALLOC_SUM_BITS))

static inline u64 chunk_index(u64 page)
{
	return page >> CHUNK_SHIFT;
}

static inline unsigned int chunk_page(u64 page)
{
	return page & (CHUNK_PAGES - 1);
}

static inline struct pagealloc_chunk *chunk_data(const struct pagealloc *pa,
						 u64 chunk)
{
	return &pa->dir[chunk >> PAGEALLOC_DIR_SHIFT]
		       [chunk & (PAGEALLOC_DIR_CHUNKS - 1)];
}

/*
 * Chunks in block b of the chunk directory: the last block holds only the
 * chunks up to the capacity, so that a small pool pays for no more.
 */
static inline u64 dir_block_chunks(const struct pagealloc *pa, u64 b)
{
	return min_t(u64, PAGEALLOC_DIR_CHUNKS,
		     pa->nchunks - (b << PAGEALLOC_DIR_SHIFT));
}

/* One past the chunk that holds page end - 1: chunks [sc, ec) hold pages. */
static inline u64 chunk_end(u64 end)
{
	return chunk_index(end - 1) + 1;
}

/* One past the index of page end - 1 in its chunk, 1 to 512. */
static inline unsigned int chunk_page_end(u64 end)
{
	return chunk_page(end - 1) + 1;
}

/* Where the pages of [base, end) start and end inside chunk c, c in range. */
static inline unsigned int piece_lo(u64 c, u64 base)
{
	return c == chunk_index(base) ? chunk_page(base) : 0;
}

static inline unsigned int piece_hi(u64 c, u64 end)
{
	return c == chunk_index(end - 1) ? chunk_page_end(end) : CHUNK_PAGES;
}

static inline bool chunk_is_grown(const struct pagealloc *pa, u64 chunk)
{
	return pa->grown[chunk / 64] & BIT_ULL(chunk % 64);
}

/* Trailing and leading zero bits of a word; 64 for an empty word. */
static inline unsigned int tz64(u64 x)
{
	return x ? __ffs64(x) : 64;
}

static inline unsigned int lz64(u64 x)
{
	return 64 - fls64(x);
}

/* Bits [lo, 64) of a word, lo < 64, and bits [0, hi), 0 < hi <= 64. */
static inline u64 mask_from(unsigned int lo)
{
	return ~0ULL << lo;
}

static inline u64 mask_below(unsigned int hi)
{
	return ~0ULL >> (64 - hi);
}

/* One past the last word that holds a bit of [lo, hi), hi > 0. */
static inline unsigned int word_end(unsigned int hi)
{
	return (hi + 63) / 64;
}

/*
 * Operations on pages [lo, hi) of a chunk, lo < hi: the first and last
 * word take a partial mask, the ones between are whole.
 */
static __always_inline u64 piece_mask(unsigned int w, unsigned int lo,
				      unsigned int hi)
{
	u64 m = ~0ULL;

	if (w == lo / 64)
		m &= mask_from(lo % 64);
	if (w == (hi - 1) / 64)
		m &= mask_below(hi - w * 64);
	return m;
}

/* Count the set bits of [lo, hi) in a chunk bitmap. */
static unsigned int bits_count(const u64 *b, unsigned int lo, unsigned int hi)
{
	unsigned int w, count = 0;

	for (w = lo / 64; w < word_end(hi); w++)
		count += hweight64(b[w] & piece_mask(w, lo, hi));
	return count;
}

/* Allocate [lo, hi) of a chunk; returns how many were scavenged. */
static unsigned int piece_alloc(struct pagealloc_chunk *ch, unsigned int lo,
				unsigned int hi)
{
	unsigned int w, nscav = 0;

	for (w = lo / 64; w < word_end(hi); w++) {
		u64 m = piece_mask(w, lo, hi);

		nscav += hweight64(ch->scav[w] & m);
		ch->alloc[w] |= m;
		ch->scav[w] &= ~m;
	}
	return nscav;
}

/*
 * Allocate every page of a chunk, all of them free: the bitmaps and the
 * interior runs take constant values. Returns how many were scavenged.
 */
static unsigned int chunk_alloc_all(struct pagealloc_chunk *ch)
{
	unsigned int w, nscav = 0;

	for (w = 0; w < CHUNK_WORDS; w++)
		nscav += hweight64(ch->scav[w]);
	memset(ch->alloc, 0xff, sizeof(ch->alloc));
	memset(ch->scav, 0, sizeof(ch->scav));
	memset(ch->inner, 0, sizeof(ch->inner));
	ch->stale = 0;
	ch->nmax = 0;
	return nscav;
}

/* Whether every page of a chunk is allocated. */
static bool chunk_all_allocated(const struct pagealloc_chunk *ch)
{
	u64 all = ~0ULL;
	unsigned int w;

	for (w = 0; w < CHUNK_WORDS; w++)
		all &= ch->alloc[w];
	return !~all;
}

/* Free every page of a chunk, all of them allocated. */
static void chunk_free_all(struct pagealloc_chunk *ch, bool scavenged)
{
	memset(ch->alloc, 0, sizeof(ch->alloc));
	if (scavenged)
		memset(ch->scav, 0xff, sizeof(ch->scav));
	memset(ch->inner, 0, sizeof(ch->inner));
	ch->stale = 0;
	ch->nmax = 1;
}

/* Whether the pages [lo, hi) of a chunk are all allocated, or all free. */
static bool piece_is(const u64 *b, unsigned int lo, unsigned int hi,
		     bool allocated)
{
	unsigned int w;

	for (w = lo / 64; w < word_end(hi); w++) {
		u64 m = piece_mask(w, lo, hi);

		if ((b[w] & m) != (allocated ? m : 0))
			return false;
	}
	return true;
}

/* Mark the pages [lo, hi) of a chunk scavenged, or not. */
static void piece_scav(struct pagealloc_chunk *ch, unsigned int lo,
		       unsigned int hi, bool scavenged)
{
	unsigned int w;

	for (w = lo / 64; w < word_end(hi); w++) {
		u64 m = piece_mask(w, lo, hi);

		if (scavenged)
			ch->scav[w] |= m;
		else
			ch->scav[w] &= ~m;
	}
}

/*
 * Run starts: bit i of the result is set when bits [i, i + n) of x are all
 * set. Each step ANDs x with itself shifted by the length already covered,
 * so the covered length doubles until it reaches n.
 */
static inline u64 run_starts(u64 x, unsigned int n)
{
	unsigned int have = 1;

	while (have < n && x) {
		unsigned int step = min(have, n - have);

		x &= x >> step;
		have += step;
	}
	return x;
}

/**
 * pagealloc_find_bit_run() - find the first run of set bits in a word
 * @x: the word
 * @n: length of the run wanted, 1 to 64
 *
 * Return: the lowest bit index at which @n consecutive set bits start, or
 * %PAGEALLOC_NOT_FOUND.
 */
unsigned int pagealloc_find_bit_run(u64 x, unsigned int n)
{
	u64 starts = run_starts(x, n);

	return starts ? __ffs64(starts) : NOT_FOUND;
}

/*
 * The longest run of free pages strictly inside a word that has allocated
 * pages (between the lowest and the highest); 0 for an empty word, whose
 * free pages belong to runs that cross its edges. Runs of 1, 2, 4, ... 32
 * free pages are found by doubling, as far as there are any, then the
 * length is built greedily from the largest step down. Interior runs are
 * mostly short, so the doubling mostly stops early.
 */
static unsigned int word_inner(u64 used)
{
	u64 top = BIT_ULL(fls64(used | 1) - 1), runs[6], at;
	u64 inside = ~used & ~((used & -used) - 1) & ((top << 1) - 1);
	unsigned int len, k = 0;

	if (!inside)
		return 0;
	/* Bit i of runs[k] is set when pages [i, i + 2^k) are free. */
	runs[0] = inside;
	while (k < 5) {
		u64 next = runs[k] & (runs[k] >> BIT(k));

		if (!next)
			break;
		runs[++k] = next;
	}
	at = runs[k];
	len = BIT(k);
	while (k-- > 0) {
		u64 longer = at & (runs[k] >> len);

		if (longer) {
			at = longer;
			len += BIT(k);
		}
	}
	return len;
}

/* A chunk's summary from its bitmap and the interior runs of its words. */
static u64 summarize_words(const u64 *bits, const u8 *inner)
{
	unsigned int start = 0, max = 0, run = 0, w;
	bool seen = false;

	for (w = 0; w < CHUNK_WORDS; w++) {
		u64 x = bits[w];
		unsigned int in = inner ? inner[w] : word_inner(x);

		if (!x) {
			run += 64;
			continue;
		}
		run += __ffs64(x);
		if (!seen) {
			start = run;
			seen = true;
		}
		max = max3(max, run, in);
		run = lz64(x);
	}
	if (!seen)
		return FREE_CHUNK_SUM;
	return pagealloc_sum_pack(start, max(max, run), run);
}

/**
 * pagealloc_summarize() - summarise a chunk allocation bitmap
 * @bits: the chunk's %PAGEALLOC_CHUNK_WORDS words, 1 = allocated
 *
 * Return: the packed summary: free pages at the start, the longest free
 * run, free pages at the end.
 */
u64 pagealloc_summarize(const u64 *bits)
{
	return summarize_words(bits, NULL);
}

/*
 * Unpack one field; only root entries can use the all-free code. Below
 * the root bit 63 is clear, so the end field needs no mask.
 */
static __always_inline u64 field(u64 sum, unsigned int shift, bool root)
{
	if (root)
		return pagealloc_sum_field(sum, shift);
	if (shift == 2 * PAGEALLOC_SUM_BITS)
		return sum >> shift;
	return (sum >> shift) & (PAGEALLOC_SUM_MAX - 1);
}

/* A summary, not the all-free code, with one field replaced. */
static inline u64 sum_set(u64 sum, unsigned int shift, u64 v)
{
	return (sum & ~((PAGEALLOC_SUM_MAX - 1) << shift)) | v << shift;
}

static __always_inline u64 merge(const u64 *sums, unsigned int n,
				 unsigned int log_pages, bool root)
{
	u64 span = 1ULL << log_pages, covered = span;
	u64 start = field(sums[0], 0, root);
	u64 max = field(sums[0], PAGEALLOC_SUM_BITS, root);
	u64 end = field(sums[0], 2 * PAGEALLOC_SUM_BITS, root);
	unsigned int i;

	for (i = 1; i < n; i++, covered += span) {
		u64 s = field(sums[i], 0, root);
		u64 m = field(sums[i], PAGEALLOC_SUM_BITS, root);
		u64 e = field(sums[i], 2 * PAGEALLOC_SUM_BITS, root);

		/* The free start only grows while everything so far is free. */
		start += start == covered ? s : 0;
		max = max3(max, m, end + s);
		end = e == span ? end + span : e;
	}
	return pagealloc_sum_pack(start, max, end);
}

/*
 * Merge one block of eight entries below the root, in one pass over its
 * fields. When no entry is wholly free, a run crosses at most one boundary
 * and the three results need no chain from entry to entry; otherwise the
 * start and end run over the wholly free entries at either edge, and the
 * longest run is chained across the ones inside.
 */
static __always_inline u64 merge_block(const u64 *sums,
				       unsigned int log_pages)
{
	u64 span = 1ULL << log_pages, s[BLOCK], m[BLOCK], e[BLOCK];
	u64 max, cross, run, start, end;
	bool whole = false;
	unsigned int i;

	for (i = 0; i < BLOCK; i++) {
		s[i] = field(sums[i], 0, false);
		m[i] = field(sums[i], PAGEALLOC_SUM_BITS, false);
		e[i] = field(sums[i], 2 * PAGEALLOC_SUM_BITS, false);
		whole |= s[i] == span;
	}
	if (!whole) {
		max = max3(max(m[0], m[1]), max(m[2], m[3]), max(m[4], m[5]));
		max = max3(max, m[6], m[7]);
		cross = max3(e[0] + s[1], e[1] + s[2], e[2] + s[3]);
		cross = max3(cross, e[3] + s[4], e[4] + s[5]);
		cross = max3(cross, e[5] + s[6], e[6] + s[7]);
		return pagealloc_sum_pack(s[0], max(max, cross), e[7]);
	}
	/* Chain the runs across the wholly free entries. */
	start = s[0];
	max = m[0];
	run = e[0];
	for (i = 1; i < BLOCK; i++) {
		start += start == i * span ? s[i] : 0;
		max = max3(max, m[i], run + s[i]);
		run = e[i] == span ? run + span : e[i];
	}
	end = run;
	return pagealloc_sum_pack(start, max, end);
}

/**
 * pagealloc_merge() - merge the summaries of consecutive regions
 * @sums: the summaries, in address order
 * @n: how many, at least one
 * @log_pages: log2 of the pages each region covers
 *
 * Return: the packed summary of the regions together.
 */
u64 pagealloc_merge(const u64 *sums, unsigned int n, unsigned int log_pages)
{
	return merge(sums, n, log_pages, true);
}

/**
 * pagealloc_chunk_find() - first fit inside one chunk
 * @bits: the chunk's allocation bitmap
 * @npages: pages wanted, 1 to %PAGEALLOC_CHUNK_PAGES
 * @search: index to start from; every page below it must be allocated
 * @first_free: set to the index of the first free page at or after the
 *	word holding @search, or %PAGEALLOC_NOT_FOUND if there is none
 *
 * Return: the index of the first run of @npages free pages, or
 * %PAGEALLOC_NOT_FOUND.
 */
unsigned int pagealloc_chunk_find(const u64 *bits, u64 npages,
				  unsigned int search,
				  unsigned int *first_free)
{
	unsigned int i = search / 64, run = 0, start = 0;

	*first_free = NOT_FOUND;
	if (npages == 1) {
		for (; i < CHUNK_WORDS; i++) {
			if (~bits[i]) {
				*first_free = i * 64 + __ffs64(~bits[i]);
				return *first_free;
			}
		}
		return NOT_FOUND;
	}
	if (npages <= 64) {
		/* A run of 64 or less crosses at most one word boundary. */
		for (; i < CHUNK_WORDS; i++) {
			u64 x = bits[i];
			unsigned int j;

			if (!~x) {
				run = 0;
				continue;
			}
			if (*first_free == NOT_FOUND)
				*first_free = i * 64 + __ffs64(~x);
			if (run + tz64(x) >= npages)
				return i * 64 - run;
			/* Look inside only if the word has enough free pages. */
			if (64 - hweight64(x) >= npages) {
				j = pagealloc_find_bit_run(~x, npages);
				if (j != NOT_FOUND)
					return i * 64 + j;
			}
			run = lz64(x);
		}
		return NOT_FOUND;
	}
	/* A longer run spans whole words: track the run at the top. */
	for (; i < CHUNK_WORDS; i++) {
		u64 x = bits[i];
		unsigned int low;

		if (!~x) {
			run = 0;
			continue;
		}
		if (*first_free == NOT_FOUND)
			*first_free = i * 64 + __ffs64(~x);
		low = tz64(x);
		if (run && run + low >= npages)
			return start;
		if (run && low == 64) {
			run += 64;
			continue;
		}
		run = lz64(x);
		start = i * 64 + 64 - run;
	}
	return NOT_FOUND;
}

/**
 * pagealloc_chunk_scav_candidate() - the highest pages worth scavenging
 * @c: the chunk
 * @max: at most this many pages, at least one
 * @start: set to the index of the first page of the candidate
 *
 * Finds the highest run of pages that are free and not scavenged and takes
 * up to @max pages from its top.
 *
 * Return: the number of pages in the candidate, 0 if there is none.
 */
unsigned int pagealloc_chunk_scav_candidate(const struct pagealloc_chunk *c,
					    u64 max, unsigned int *start)
{
	unsigned int top, run, end;
	int i, w;
	u64 want = 0;

	for (w = CHUNK_WORDS - 1; w >= 0; w--) {
		want = ~(c->alloc[w] | c->scav[w]);
		if (want)
			break;
	}
	if (w < 0)
		return 0;
	/* The run ends just below bit top of word w; measure it downwards. */
	top = fls64(want);
	end = w * 64 + top;
	run = lz64(~(want << (64 - top)));
	if (run == top) {
		for (i = w - 1; i >= 0; i--) {
			unsigned int more = lz64(c->alloc[i] | c->scav[i]);

			run += more;
			if (more < 64)
				break;
		}
	}
	run = min_t(u64, run, max);
	*start = end - run;
	return run;
}

/**
 * pagealloc_chunk_scav_lowest() - the lowest pages worth scavenging
 * @c: the chunk
 * @max: at most this many pages, at least one
 * @start: set to the index of the first page of the candidate
 *
 * Finds the lowest run of pages that are free and not scavenged and takes
 * up to @max pages from its bottom.
 *
 * Return: the number of pages in the candidate, 0 if there is none.
 */
unsigned int pagealloc_chunk_scav_lowest(const struct pagealloc_chunk *c,
					 u64 max, unsigned int *start)
{
	unsigned int w, bit, run, more;
	u64 want = 0;

	for (w = 0; w < CHUNK_WORDS; w++) {
		want = ~(c->alloc[w] | c->scav[w]);
		if (want)
			break;
	}
	if (w == CHUNK_WORDS)
		return 0;
	/* The run starts at that bit of word w; measure it upwards. */
	bit = __ffs64(want);
	*start = w * 64 + bit;
	run = tz64(~(want >> bit));
	if (run == 64 - bit) {
		for (w++; w < CHUNK_WORDS && run < max; w++) {
			more = tz64(c->alloc[w] | c->scav[w]);
			run += more;
			if (more < 64)
				break;
		}
	}
	return min_t(u64, run, max);
}

/*
 * The scavenge candidate index: a bitmap of chunks with a 64-way bitmap of
 * non-empty words above it, up to a single word at the top, so the highest
 * candidate is found in one step per level.
 */
static void cand_set(struct pagealloc *pa, u64 chunk)
{
	unsigned int k;

	for (k = 0; k < pa->cand_levels; k++) {
		u64 *w = &pa->cand[k][chunk / 64];
		u64 bit = BIT_ULL(chunk % 64);
		u64 old = *w;

		*w = old | bit;
		if (old)
			return;
		chunk /= 64;
	}
}

static void cand_clear(struct pagealloc *pa, u64 chunk)
{
	unsigned int k;

	for (k = 0; k < pa->cand_levels; k++) {
		u64 *w = &pa->cand[k][chunk / 64];

		*w &= ~BIT_ULL(chunk % 64);
		if (*w)
			return;
		chunk /= 64;
	}
}

/* The highest or the lowest candidate chunk, or NO_PAGE if none. */
static u64 cand_first(const struct pagealloc *pa, bool highest)
{
	u64 idx = 0;
	int k;

	for (k = pa->cand_levels - 1; k >= 0; k--) {
		u64 w = pa->cand[k][idx];

		if (!w)
			return NO_PAGE;
		idx = idx * 64 + (highest ? (u64)fls64(w) - 1 : __ffs64(w));
	}
	return idx;
}

static inline bool cand_test(const struct pagealloc *pa, u64 chunk)
{
	return pa->cand[0][chunk / 64] & BIT_ULL(chunk % 64);
}

/*
 * The parent of a block after entry k changed from old to the value now
 * in sums[k], from the parent before. When neither the entry nor its
 * neighbours are wholly free, runs cross at most one boundary, so only
 * the entry's own longest run and the runs across its two boundaries can
 * move the parent's longest run; its start and end change only at the
 * block's edges. A longest run that may have shrunk, or a wholly free
 * entry, needs the whole block merged.
 */
static u64 merge_update(u64 parent, const u64 *sums, unsigned int k,
			u64 old, unsigned int log_pages)
{
	u64 span = 1ULL << log_pages, cur = sums[k], left = 0, right = 0;
	u64 os = field(old, 0, false), ns = field(cur, 0, false);
	u64 start = pagealloc_sum_start(parent), max = pagealloc_sum_max(parent);
	u64 end = pagealloc_sum_end(parent), was, now;
	u64 om = field(old, PAGEALLOC_SUM_BITS, false);
	u64 nm = field(cur, PAGEALLOC_SUM_BITS, false);

	if (os == span || ns == span)
		return merge_block(sums, log_pages);
	if (k > 0) {
		if (field(sums[k - 1], 0, false) == span)
			return merge_block(sums, log_pages);
		left = field(sums[k - 1], 2 * PAGEALLOC_SUM_BITS, false);
	}
	if (k < BLOCK - 1) {
		right = field(sums[k + 1], 0, false);
		if (right == span)
			return merge_block(sums, log_pages);
	}
	was = max3(om, left + os,
		   field(old, 2 * PAGEALLOC_SUM_BITS, false) + right);
	now = max3(nm, left + ns,
		   field(cur, 2 * PAGEALLOC_SUM_BITS, false) + right);
	if (now < max && was >= max)
		return merge_block(sums, log_pages);
	max = max(max, now);
	start = k ? start : ns;
	end = k == BLOCK - 1 ? field(cur, 2 * PAGEALLOC_SUM_BITS, false) : end;
	return pagealloc_sum_pack(start, max, end);
}

/*
 * Bring the ancestors of entry idx of level l up to date after it changed
 * from old, all else being up to date, stopping where nothing changes.
 *
 * Most changes keep the entry's start and end: then the runs across its
 * edges, and the parent's start and end, are as they were (neither value
 * can be wholly free unless both are), and only the entry's own longest
 * run moved. The parent changes only if that run grows past the parent's
 * longest, or was the parent's longest and shrinks.
 */
static void propagate_up(struct pagealloc *pa, int l, u64 idx, u64 old)
{
	while (--l >= 0) {
		u64 p = idx / BLOCK, before = pa->level[l][p], after;
		const u64 *sums = pa->level[l + 1] + p * BLOCK;
		unsigned int child = pagealloc_level_log_pages(l + 1);
		u64 cur = sums[idx % BLOCK], om, nm, max;

		if ((old ^ cur) & SUM_EDGES) {
			after = merge_update(before, sums, idx % BLOCK, old,
					     child);
		} else {
			om = field(old, PAGEALLOC_SUM_BITS, false);
			nm = field(cur, PAGEALLOC_SUM_BITS, false);
			max = pagealloc_sum_max(before);
			if (nm <= max && (nm >= om || om < max))
				return;
			/* Not the all-free code: its longest is the most. */
			if (nm > max)
				after = sum_set(before, PAGEALLOC_SUM_BITS,
						nm);
			else
				after = merge_block(sums, child);
		}
		if (after == before)
			return;
		pa->level[l][p] = after;
		old = before;
		idx = p;
	}
}

/*
 * Recompute the ancestors of the leaves of chunks [sc, ec) from their
 * children, level by level, until the range has narrowed to one entry;
 * from there on one changed entry per level is merged in.
 */
static void propagate_range(struct pagealloc *pa, u64 sc, u64 ec)
{
	int l;

	for (l = LEAF - 1; l >= 0; l--) {
		unsigned int child = pagealloc_level_log_pages(l + 1);
		bool changed = false;
		u64 i;

		sc /= BLOCK;
		ec = DIV_ROUND_UP(ec, BLOCK);
		for (i = sc; i < ec; i++) {
			u64 before = pa->level[l][i];
			u64 sum = merge_block(pa->level[l + 1] + i * BLOCK,
					      child);

			if (sum == before)
				continue;
			pa->level[l][i] = sum;
			if (ec - sc == 1) {
				propagate_up(pa, l, i, before);
				return;
			}
			changed = true;
		}
		if (!changed)
			break;
	}
}

/**
 * pagealloc_flush() - bring every summary level up to date
 * @pa: the allocator
 *
 * A change inside one chunk updates its leaf summary at once but its
 * ancestors only when another chunk changes or a search or an inspection
 * needs them, so that a run of calls on the same chunk pays for one walk up
 * the tree. Callers that read @pa->level directly (debugfs) flush first.
 */
void pagealloc_flush(struct pagealloc *pa)
{
	if (pa->hot == NO_PAGE)
		return;
	propagate_up(pa, LEAF, pa->hot, pa->hot_old);
	pa->hot = NO_PAGE;
}

/* Store a chunk's new leaf summary; its ancestors follow lazily. */
static void set_leaf(struct pagealloc *pa, u64 chunk, u64 sum)
{
	if (chunk != pa->hot) {
		pagealloc_flush(pa);
		pa->hot = chunk;
		pa->hot_old = pa->level[LEAF][chunk];
	}
	pa->level[LEAF][chunk] = sum;
}

/* The highest allocated page below i in a chunk, or -1. */
static inline int prev_used(const u64 *b, unsigned int i)
{
	int w = i / 64;
	u64 x = b[w] & (BIT_ULL(i % 64) - 1);

	while (!x) {
		if (--w < 0)
			return -1;
		x = b[w];
	}
	return w * 64 + fls64(x) - 1;
}

/* The lowest allocated page at or above i in a chunk, or 512. */
static inline unsigned int next_used(const u64 *b, unsigned int i)
{
	unsigned int w = i / 64;
	u64 x;

	if (i >= CHUNK_PAGES)
		return CHUNK_PAGES;
	x = b[w] & mask_from(i % 64);
	while (!x) {
		if (++w == CHUNK_WORDS)
			return CHUNK_PAGES;
		x = b[w];
	}
	return w * 64 + __ffs64(x);
}

/*
 * Note that pages [lo, hi) of a chunk all changed state: words wholly
 * inside became all allocated or all free, with no interior run; the
 * partial words at either end go stale.
 */
static inline void mark_stale(struct pagealloc_chunk *ch, unsigned int lo,
			      unsigned int hi)
{
	unsigned int w = lo / 64, last = (hi - 1) / 64;

	ch->stale |= BIT(w) | BIT(last);
	while (++w < last)
		ch->inner[w] = 0;
}

/* Summarise a chunk in full, refreshing the interior runs that changed. */
static u64 resummarize(struct pagealloc_chunk *ch)
{
	unsigned int stale = ch->stale;

	while (stale) {
		unsigned int w = __ffs64(stale);

		ch->inner[w] = word_inner(ch->alloc[w]);
		stale &= stale - 1;
	}
	ch->stale = 0;
	/* The longest runs are not counted again: one at least. */
	ch->nmax = 1;
	return summarize_words(ch->alloc, ch->inner);
}

/*
 * The summary of a chunk after pages [i, i + n) of it were allocated, from
 * the one before: the free run [a, b) that held the pages splits into two
 * shorter ones. The longest run can only shrink when [a, b) was one of the
 * longest and no other run is as long. The chunk's count of its longest
 * runs says when another one is left; so do the pages left free when the
 * two parts are all of them, or when every free run is a single page.
 * Otherwise the chunk is summarised in full.
 */
static u64 leaf_after_alloc(struct pagealloc_chunk *ch, u64 old,
			    unsigned int i, unsigned int n)
{
	unsigned int a = prev_used(ch->alloc, i) + 1;
	unsigned int b = next_used(ch->alloc, i + n);
	u64 max = field(old, PAGEALLOC_SUM_BITS, false);

	mark_stale(ch, i, i + n);
	if (b - a == max && ch->nmax > 1) {
		ch->nmax--;
	} else if (b - a == max) {
		unsigned int w, used = 0;

		for (w = 0; w < CHUNK_WORDS; w++)
			used += hweight64(ch->alloc[w]);
		if (CHUNK_PAGES - used == b - a - n) {
			/* The two parts are all that is left free. */
			max = max(i - a, b - i - n);
			ch->nmax = max ? 1 + (i - a == b - i - n) : 0;
		} else if (max == 1) {
			/* Every free page is a run of one. */
			ch->nmax = CHUNK_PAGES - used;
		} else {
			return resummarize(ch);
		}
		old = sum_set(old, PAGEALLOC_SUM_BITS, max);
	}
	if (!a)
		old = sum_set(old, 0, i);
	if (b == CHUNK_PAGES)
		old = sum_set(old, 2 * PAGEALLOC_SUM_BITS, b - i - n);
	return old;
}

/* The summary after [i, i + n) was freed: the runs around it join. */
static u64 leaf_after_free(struct pagealloc_chunk *ch, u64 old,
			   unsigned int i, unsigned int n)
{
	unsigned int a = prev_used(ch->alloc, i) + 1;
	unsigned int b = next_used(ch->alloc, i + n);
	u64 max = field(old, PAGEALLOC_SUM_BITS, false);

	mark_stale(ch, i, i + n);
	/* The two parts were shorter than the run they join. */
	if (b - a > max) {
		old = sum_set(old, PAGEALLOC_SUM_BITS, b - a);
		ch->nmax = 1;
	} else if (b - a == max) {
		ch->nmax++;
	}
	if (!a)
		old = sum_set(old, 0, b);
	if (b == CHUNK_PAGES)
		old = sum_set(old, 2 * PAGEALLOC_SUM_BITS, b - a);
	return old;
}

/* Mark [base, base + npages) allocated; the pages must be free. */
static u64 alloc_range(struct pagealloc *pa, u64 base, u64 npages)
{
	u64 end = base + npages, c, nscav = 0;
	u64 sc = chunk_index(base), ec = chunk_end(end);
	unsigned int lo = chunk_page(base), hi = chunk_page_end(end);
	u64 *leaf = pa->level[LEAF];
	struct pagealloc_chunk *ch = chunk_data(pa, sc);

	if (ec - sc == 1) {
		if (npages == 1) {
			unsigned int w = lo / 64;
			u64 bit = BIT_ULL(lo % 64);

			nscav = !!(ch->scav[w] & bit);
			ch->alloc[w] |= bit;
			ch->scav[w] &= ~bit;
		} else {
			nscav = piece_alloc(ch, lo, hi);
		}
		set_leaf(pa, sc, leaf_after_alloc(ch, leaf[sc], lo, npages));
	} else {
		/* The first and last chunk in part, the ones between whole. */
		pagealloc_flush(pa);
		nscav = piece_alloc(ch, lo, CHUNK_PAGES);
		leaf[sc] = leaf_after_alloc(ch, leaf[sc], lo, CHUNK_PAGES - lo);
		for (c = sc + 1; c < ec - 1; c++) {
			nscav += chunk_alloc_all(chunk_data(pa, c));
			leaf[c] = 0;
		}
		ch = chunk_data(pa, ec - 1);
		nscav += piece_alloc(ch, 0, hi);
		leaf[ec - 1] = leaf_after_alloc(ch, leaf[ec - 1], 0, hi);
		propagate_range(pa, sc, ec);
	}
	pa->free_pages -= npages;
	pa->scav_pages -= nscav;
	return nscav;
}

/*
 * Free [lo, hi) of a chunk if every page in it is allocated, marking the
 * pages scavenged or not; else leave the chunk as it was.
 */
static bool piece_free(struct pagealloc_chunk *ch, unsigned int lo,
		       unsigned int hi, bool scavenged)
{
	unsigned int w;

	for (w = lo / 64; w < word_end(hi); w++) {
		u64 m = piece_mask(w, lo, hi);

		if ((ch->alloc[w] & m) != m)
			goto undo;
		ch->alloc[w] &= ~m;
		if (scavenged)
			ch->scav[w] |= m;
	}
	return true;

undo:
	while (w-- > lo / 64) {
		u64 m = piece_mask(w, lo, hi);

		ch->alloc[w] |= m;
		if (scavenged)
			ch->scav[w] &= ~m;
	}
	return false;
}

/*
 * Free [base, base + npages), a valid range, if every page in it is
 * allocated: -ENOENT, changing nothing, if not.
 */
static int free_range(struct pagealloc *pa, u64 base, u64 npages,
		      bool scavenged)
{
	u64 end = base + npages, c;
	u64 sc = chunk_index(base), ec = chunk_end(end);
	unsigned int lo = chunk_page(base), hi = chunk_page_end(end);
	u64 *leaf = pa->level[LEAF];
	struct pagealloc_chunk *ch = chunk_data(pa, sc);

	if (ec - sc == 1) {
		if (!piece_free(ch, lo, hi, scavenged))
			return -ENOENT;
		set_leaf(pa, sc, leaf_after_free(ch, leaf[sc], lo, npages));
	} else {
		/* The chunks between are freed whole: check them first. */
		for (c = sc + 1; c < ec - 1; c++)
			if (!chunk_all_allocated(chunk_data(pa, c)))
				return -ENOENT;
		if (!piece_free(ch, lo, CHUNK_PAGES, scavenged))
			return -ENOENT;
		if (!piece_free(chunk_data(pa, ec - 1), 0, hi, scavenged)) {
			/* Put back the first chunk's part. */
			piece_alloc(ch, lo, CHUNK_PAGES);
			return -ENOENT;
		}
		pagealloc_flush(pa);
		leaf[sc] = leaf_after_free(ch, leaf[sc], lo, CHUNK_PAGES - lo);
		for (c = sc + 1; c < ec - 1; c++) {
			chunk_free_all(chunk_data(pa, c), scavenged);
			leaf[c] = FREE_CHUNK_SUM;
		}
		ch = chunk_data(pa, ec - 1);
		leaf[ec - 1] = leaf_after_free(ch, leaf[ec - 1], 0, hi);
		propagate_range(pa, sc, ec);
	}
	if (base < pa->search)
		pa->search = base;
	if (!scavenged)
		for (c = sc; c < ec; c++)
			cand_set(pa, c);
	pa->free_pages += npages;
	if (scavenged)
		pa->scav_pages += npages;
	return 0;
}

/*
 * Validate a range argument: a non-empty range, no overflow, inside the
 * capacity and wholly grown.
 */
static int check_range(const struct pagealloc *pa, u64 base, u64 npages)
{
	u64 limit, c;

	if (!npages)
		return -EINVAL;
	if (check_add_overflow(base, npages, &limit))
		return -EOVERFLOW;
	if (limit > pa->capacity)
		return -ERANGE;
	for (c = chunk_index(base); c < chunk_end(limit); c++)
		if (!chunk_is_grown(pa, c))
			return -ERANGE;
	return 0;
}

/* Whether every page of a valid range is allocated (or every one free). */
static bool range_is(const struct pagealloc *pa, u64 base, u64 npages,
		     bool allocated)
{
	u64 end = base + npages, c;
	u64 sc = chunk_index(base), ec = chunk_end(end);

	for (c = sc; c < ec; c++) {
		unsigned int lo = piece_lo(c, base);
		unsigned int hi = piece_hi(c, end);

		if (!piece_is(chunk_data(pa, c)->alloc, lo, hi, allocated))
			return false;
	}
	return true;
}

/*
 * One level of the tree search: scan entries [j0, n) of a block, each
 * covering 2^shift pages, for npages free pages. Returns the index of the
 * entry to descend into, or n when the scan ended; *size then holds the
 * free pages found across entries (0 if none) and *base where they start,
 * relative to the block. *first is set to the first entry scanned that has
 * free pages. Only root entries can use the all-free code.
 */
static __always_inline u64 scan_block(const u64 *e, u64 j0, u64 n,
				      unsigned int shift, u64 npages,
				      bool root, u64 *size, u64 *base,
				      u64 *first)
{
	u64 span = 1ULL << shift, run = 0, j, none = n;

	*first = none;
	for (j = j0; j < n; j++) {
		u64 s = field(e[j], 0, root);

		*first = *first == none && e[j] ? j : *first;
		if (run + s >= npages) {
			/* The run ends where entry j starts. */
			*base = (j << shift) - run;
			*size = run + s;
			return n;
		}
		if (field(e[j], PAGEALLOC_SUM_BITS, root) >= npages)
			return j;
		if (run && s == span) {
			run += span;
			continue;
		}
		run = field(e[j], 2 * PAGEALLOC_SUM_BITS, root);
	}
	*size = 0;
	return n;
}

/*
 * The tree search, for when the hint's chunk cannot serve the request.
 * No page below the hint is free, so the first fit lies in the lowest
 * ancestor of the hint's chunk whose longest run is long enough, if one
 * is: the search walks up to it and down from it. Otherwise it scans the
 * root level, where runs may also join root entries.
 */
static u64 tree_find(struct pagealloc *pa, u64 npages, u64 *hint)
{
	/* Where the first free page lies, while the search follows it. */
	u64 first_free = 0, i = 0, j, jf, size = 0, base = 0;
	bool following = true;
	unsigned int idx, first;
	int l;

	pagealloc_flush(pa);
	for (l = LEAF - 1; l >= 0; l--) {
		i = pa->search >> pagealloc_level_log_pages(l);
		if (field(pa->level[l][i], PAGEALLOC_SUM_BITS, !l) >= npages)
			break;
	}
	if (l >= 0) {
		/* The first free page lies in this ancestor too. */
		first_free = i << pagealloc_level_log_pages(l);
		l++;
	} else {
		i = 0;
		l = 0;
	}

	for (; l < PAGEALLOC_LEVELS; l++) {
		unsigned int shift = pagealloc_level_log_pages(l);
		u64 n = l ? BLOCK : pa->level_len[0];
		u64 si = pa->search >> shift, j0 = 0;
		const u64 *e;

		i <<= l ? PAGEALLOC_LEVEL_BITS : 0;
		e = pa->level[l] + i;
		/* Nothing below the hint is free: skip what lies before it. */
		if (!l)
			j0 = si;
		else if (si >= i && si - i < BLOCK)
			j0 = si - i;

		if (l)
			j = scan_block(e, j0, n, shift, npages, false, &size,
				       &base, &jf);
		else
			j = scan_block(e, j0, n, shift, npages, true, &size,
				       &base, &jf);
		/* The first entry with free pages holds the first free page. */
		if (following && jf < n)
			first_free = (i + jf) << shift;
		if (j == n) {
			if (!size) {
				/* Below the root a summary promised a fit. */
				WARN_ON_ONCE(l);
				return NO_PAGE;
			}
			*hint = first_free;
			return (i << shift) + base;
		}
		following &= j == jf;
		i += j;
	}

	idx = pagealloc_chunk_find(chunk_data(pa, i)->alloc, npages, 0, &first);
	if (WARN_ON_ONCE(idx == NOT_FOUND))
		return NO_PAGE;
	if (following)
		first_free = (i << CHUNK_SHIFT) + first;
	*hint = first_free;
	return (i << CHUNK_SHIFT) + idx;
}

/*
 * The first free page, for a single page when the hint's chunk has none:
 * a summary is zero exactly when its region has no free page, and no page
 * below the hint is free, so the search walks up to the lowest ancestor
 * of the hint's chunk that is not zero (or scans the root level) and down
 * along the first entries that are not.
 */
static u64 tree_find_free(struct pagealloc *pa)
{
	u64 si = pa->search, i, n, j = 0;
	const u64 *bits;
	int l;

	pagealloc_flush(pa);
	for (l = LEAF - 1; l > 0; l--)
		if (pa->level[l][si >> pagealloc_level_log_pages(l)])
			break;
	/* Scan from the hint's entry to the end of its block, or level. */
	n = l ? ((si >> pagealloc_level_log_pages(l)) | (BLOCK - 1)) + 1 :
	    pa->level_len[0];
	for (; l < PAGEALLOC_LEVELS; l++) {
		const u64 *e = pa->level[l];

		for (j = si >> pagealloc_level_log_pages(l); j < n; j++)
			if (e[j])
				break;
		if (j == n)
			return NO_PAGE;
		/* Below the first entry found, scan its block from the start. */
		if (j != si >> pagealloc_level_log_pages(l))
			si = j << pagealloc_level_log_pages(l);
		n = (j + 1) << PAGEALLOC_LEVEL_BITS;
	}
	i = j;
	bits = chunk_data(pa, i)->alloc;
	for (j = chunk_page(si) / 64; j < CHUNK_WORDS; j++)
		if (~bits[j])
			return (i << CHUNK_SHIFT) + j * 64 + __ffs64(~bits[j]);
	WARN_ON_ONCE(1);
	return NO_PAGE;
}

/* OR the 64 bits of a word for pages [at, at + 64) into a bitmap. */
static void put_word(u64 *dst, s64 at, u64 bits)
{
	unsigned int shift;

	if (at < 0) {
		bits >>= -at;
		at = 0;
	}
	shift = at % 64;
	dst[at / 64] |= bits << shift;
	if (shift && bits >> (64 - shift))
		dst[at / 64 + 1] |= bits >> (64 - shift);
}

/* Set bit i of dirty for each page base + i that is not scavenged. */
static void record_dirty(const struct pagealloc *pa, u64 base, u64 npages,
			 u64 *dirty)
{
	u64 end = base + npages, sc = chunk_index(base), ec = chunk_end(end), c;

	memset(dirty, 0, DIV_ROUND_UP(npages, 64) * sizeof(u64));
	for (c = sc; c < ec; c++) {
		const u64 *scav = chunk_data(pa, c)->scav;
		unsigned int lo = piece_lo(c, base);
		unsigned int hi = piece_hi(c, end);
		unsigned int w;

		for (w = lo / 64; w < word_end(hi); w++)
			put_word(dirty, (s64)((c << CHUNK_SHIFT) + w * 64 - base),
				 ~scav[w] & piece_mask(w, lo, hi));
	}
}

/*
 * The aligned search. Its steps are first fits from a cursor, found with
 * the summaries: the pages below the cursor count as allocated.
 */

/*
 * The first fit inside entry j of level l, whose longest run is at least
 * npages long: down the tree as tree_find() goes down.
 */
static u64 descend(struct pagealloc *pa, int l, u64 j, u64 npages)
{
	u64 size = 0, base = 0, jf, k;
	unsigned int idx, first;

	while (l < LEAF) {
		unsigned int shift = pagealloc_level_log_pages(++l);

		j *= BLOCK;
		k = scan_block(pa->level[l] + j, 0, BLOCK, shift, npages, false,
			       &size, &base, &jf);
		if (k == BLOCK) {
			/* A summary above promised a fit. */
			if (WARN_ON_ONCE(!size))
				return NO_PAGE;
			return (j << shift) + base;
		}
		j += k;
	}
	idx = pagealloc_chunk_find(chunk_data(pa, j)->alloc, npages, 0, &first);
	if (WARN_ON_ONCE(idx == NOT_FOUND))
		return NO_PAGE;
	return (j << CHUNK_SHIFT) + idx;
}

/*
 * The lowest page q >= from such that [q, q + npages) is free, from <
 * capacity, or NO_PAGE. The pages from on are the tail of from's chunk,
 * then the entries after its leaf to the end of the leaf's block, then
 * those after its parent to the end of the parent's block, and so on up
 * to the root level: at most seven entries a level below the root, taken
 * in address order with the free run that reaches each one.
 */
static u64 find_from(struct pagealloc *pa, u64 from, u64 npages)
{
	u64 c = chunk_index(from), sum = pa->level[LEAF][c], run = 0, j, n;
	unsigned int lo = chunk_page(from), idx, first, w;
	int l;

	if (sum) {
		const u64 *b = chunk_data(pa, c)->alloc;
		u64 bits[CHUNK_WORDS];

		if (field(sum, PAGEALLOC_SUM_BITS, false) >= npages) {
			/* The pages below from count as allocated. */
			for (w = 0; w < CHUNK_WORDS; w++)
				bits[w] = b[w] | (w < lo / 64 ? ~0ULL :
						  w == lo / 64 ?
						  ~mask_from(lo % 64) : 0);
			idx = pagealloc_chunk_find(bits, npages, lo, &first);
			if (idx != NOT_FOUND)
				return (c << CHUNK_SHIFT) + idx;
		}
		run = min_t(u64, field(sum, 2 * PAGEALLOC_SUM_BITS, false),
			    CHUNK_PAGES - lo);
	}
	for (l = LEAF; l >= 0; l--) {
		unsigned int shift = pagealloc_level_log_pages(l);
		u64 span = 1ULL << shift;
		const u64 *e = pa->level[l];

		j = from >> shift;
		n = l ? (j | (BLOCK - 1)) + 1 : pa->level_len[0];
		for (j++; j < n; j++) {
			u64 s = field(e[j], 0, !l);

			if (run + s >= npages)
				return (j << shift) - run;
			if (field(e[j], PAGEALLOC_SUM_BITS, !l) >= npages)
				return descend(pa, l, j, npages);
			run = s == span ? run + span :
			      field(e[j], 2 * PAGEALLOC_SUM_BITS, !l);
		}
	}
	return NO_PAGE;
}

/*
 * The first page in [from, to) that is not free (allocated, not grown or
 * past the capacity), or to if there is none; from < to. Past the chunk
 * that holds from, each step takes the largest entry that starts where
 * the step does: its start field says how far the free pages go.
 */
static u64 first_used(const struct pagealloc *pa, u64 from, u64 to)
{
	u64 x = from;

	if (chunk_page(x)) {
		u64 c = chunk_index(x);
		unsigned int u;

		if (!pa->level[LEAF][c])
			return x;
		u = next_used(chunk_data(pa, c)->alloc, chunk_page(x));
		if (u < CHUNK_PAGES)
			return min((c << CHUNK_SHIFT) + u, to);
		x = (c + 1) << CHUNK_SHIFT;
	}
	while (x < to) {
		int l = LEAF;
		u64 s, span;

		if (x >= pa->capacity)
			return x;
		while (l > 0 &&
		       !(x & (BIT_ULL(pagealloc_level_log_pages(l - 1)) - 1)))
			l--;
		span = BIT_ULL(pagealloc_level_log_pages(l));
		s = field(pa->level[l][x >> pagealloc_level_log_pages(l)], 0,
			  !l);
		if (s < span)
			return min(x + s, to);
		x += span;
	}
	return to;
}

/* How far page p is below the next page whose number plus origin is aligned. */
static inline u64 align_gap(u64 origin, u64 p, u64 align)
{
	return -(origin + p) & (align - 1);
}

/*
 * The lowest page p >= the hint with (origin + p) a multiple of align
 * and [p, p + npages) free, or NO_PAGE. Each step takes the first fit q
 * at or after the cursor, an aligned page; the aligned page p at or after
 * q fits when the pages from q + npages to p + npages are free too. If
 * not, no page up to the first one that is not free, f, starts an aligned
 * fit (those before p are not aligned, and the runs from the others hold
 * f), and the next step starts at the first aligned page after f. A step
 * passes a free run of npages or more, and an aligned page.
 */
static u64 aligned_find(struct pagealloc *pa, u64 npages, u64 align)
{
	u64 cursor = pa->search, q, p, f;

	pagealloc_flush(pa);
	for (;;) {
		cursor += align_gap(pa->origin, cursor, align);
		if (cursor >= pa->capacity)
			return NO_PAGE;
		q = find_from(pa, cursor, npages);
		if (q == NO_PAGE)
			return NO_PAGE;
		p = q + align_gap(pa->origin, q, align);
		if (p == q)
			return q;
		if (p > pa->capacity - npages)
			return NO_PAGE;
		f = first_used(pa, q + npages, p + npages);
		if (f == p + npages)
			return p;
		cursor = f + 1;
	}
}

/**
 * pagealloc_alloc() - allocate the first run of free pages that fits
 * @pa: the allocator
 * @npages: number of pages
 * @base: set to the first page of the run
 * @scav: set to how many of the pages were scavenged; their scavenged
 *	bits are cleared
 *
 * Returns the lowest page p such that [p, p + @npages) is free and grown.
 * Does not allocate memory.
 *
 * Return: 0, -EINVAL if @npages is 0, -ENOMEM if no run fits.
 */
int pagealloc_alloc(struct pagealloc *pa, u64 npages, u64 *base, u64 *scav)
{
	return pagealloc_alloc_dirty(pa, npages, base, scav, NULL);
}

/**
 * pagealloc_alloc_dirty() - allocate, and say which pages were not scavenged
 * @pa: the allocator
 * @npages: number of pages
 * @base: set to the first page of the run
 * @scav: set to how many of the pages were scavenged
 * @dirty: NULL, or a bitmap of at least @npages bits: bit i is set when page
 *	@base + i was not scavenged (in pagepool: must be zeroed)
 *
 * As pagealloc_alloc(), which it is with @dirty NULL.
 *
 * Return: 0, -EINVAL if @npages is 0, -ENOMEM if no run fits.
 */
int pagealloc_alloc_dirty(struct pagealloc *pa, u64 npages, u64 *base,
			  u64 *scav, u64 *dirty)
{
	u64 chunk = chunk_index(pa->search), addr, hint;
	unsigned int ofs = chunk_page(pa->search), idx, first;

	if (!npages)
		return -EINVAL;
	if (npages > pa->free_pages || chunk >= pa->end_chunk) {
		if (!pa->free_pages)
			pa->search = NO_PAGE;
		return -ENOMEM;
	}

	/* Fast path: the hint's chunk has a run that fits. */
	if (npages <= CHUNK_PAGES - ofs &&
	    pagealloc_sum_max(pa->level[LEAF][chunk]) >= npages) {
		idx = pagealloc_chunk_find(chunk_data(pa, chunk)->alloc, npages,
					   ofs, &first);
		if (WARN_ON_ONCE(idx == NOT_FOUND))
			return -EUCLEAN;
		addr = (chunk << CHUNK_SHIFT) + idx;
		hint = (chunk << CHUNK_SHIFT) + first;
	} else if (npages == 1) {
		addr = tree_find_free(pa);
		if (addr == NO_PAGE) {
			pa->search = NO_PAGE;
			return -ENOMEM;
		}
		hint = addr;
	} else {
		addr = tree_find(pa, npages, &hint);
		if (addr == NO_PAGE) {
			/* Not even one page: nothing is free anywhere. */
			if (npages == 1)
				pa->search = NO_PAGE;
			return -ENOMEM;
		}
	}

	if (dirty)
		record_dirty(pa, addr, npages, dirty);
	*scav = alloc_range(pa, addr, npages);
	if (hint > pa->search)
		pa->search = hint;
	*base = addr;
	return 0;
}

/**
 * pagealloc_alloc_aligned() - allocate the first aligned run that fits
 * @pa: the allocator
 * @npages: number of pages
 * @align: alignment in pages, a power of two; 0 and 1 mean none
 * @base: set to the first page of the run
 * @scav: set to how many of the pages were scavenged
 * @dirty: NULL, or a bitmap of at least @npages bits, as for
 *	pagealloc_alloc_dirty()
 *
 * Returns the lowest page p such that @pa->origin + p is a multiple of
 * @align and [p, p + @npages) is free and grown: exact aligned first fit.
 * With @align 0 or 1 this is pagealloc_alloc_dirty(). Does not allocate
 * memory.
 *
 * The search goes in steps, each a first fit from a cursor found with the
 * summaries in the time of an unaligned search (a walk of at most seven
 * entries a level and the root level from the cursor's entry on); a step
 * that finds no aligned fit in the free run it reaches moves the cursor
 * past that run, to the next aligned page. Every step but the last passes
 * a free run of at least @npages pages that holds no aligned fit, and an
 * aligned page: the steps are at most one more than the fewer of the
 * number of such runs and the number of aligned pages between the search
 * hint and the result. Regions with no free run long enough cost nothing
 * more than they cost an unaligned search.
 *
 * Return: 0; -EINVAL if @npages is 0 or @align is not 0 or a power of two
 * up to %PAGEALLOC_MAX_PAGES; -ENOMEM if no aligned run fits, leaving the
 * allocator unchanged.
 */
int pagealloc_alloc_aligned(struct pagealloc *pa, u64 npages, u64 align,
			    u64 *base, u64 *scav, u64 *dirty)
{
	u64 addr;

	if (!npages || align > PAGEALLOC_MAX_PAGES || (align & (align - 1)))
		return -EINVAL;
	if (align <= 1)
		return pagealloc_alloc_dirty(pa, npages, base, scav, dirty);
	if (npages > pa->free_pages || chunk_index(pa->search) >= pa->end_chunk)
		return -ENOMEM;
	addr = aligned_find(pa, npages, align);
	if (addr == NO_PAGE)
		return -ENOMEM;
	if (dirty)
		record_dirty(pa, addr, npages, dirty);
	*scav = alloc_range(pa, addr, npages);
	/* No page below the hint is free, nor are the pages allocated. */
	if (addr == pa->search)
		pa->search = addr + npages;
	*base = addr;
	return 0;
}

/**
 * pagealloc_set_origin() - say where alignment is measured from
 * @pa: the allocator
 * @origin: the number that page 0 stands for: pagealloc_alloc_aligned()
 *	aligns @origin + p (pagepool passes the pool's first page frame, so
 *	that an alignment of pages is one of physical addresses)
 *
 * May be called at any time; it changes nothing else. pagealloc_init()
 * sets the origin to 0.
 */
void pagealloc_set_origin(struct pagealloc *pa, u64 origin)
{
	pa->origin = origin;
}

/**
 * pagealloc_free() - free pages
 * @pa: the allocator
 * @base: first page
 * @npages: number of pages
 *
 * The pages may be any part of one or more allocations. Their scavenged
 * bits stay clear: freed pages are dirty. Does not allocate memory.
 *
 * Return: 0, or -EINVAL (@npages is 0), -EOVERFLOW (the range wraps),
 * -ERANGE (not all grown) or -ENOENT (not all allocated), leaving the
 * allocator unchanged.
 */
int pagealloc_free(struct pagealloc *pa, u64 base, u64 npages)
{
	int err = check_range(pa, base, npages);

	if (err)
		return err;
	return free_range(pa, base, npages, false);
}

/**
 * pagealloc_take() - allocate a given range of pages
 * @pa: the allocator
 * @base: first page
 * @npages: number of pages
 *
 * Marks pages allocated without a search, for setting up a known state.
 * Their scavenged bits are cleared.
 *
 * Return: 0, or -EINVAL, -EOVERFLOW, -ERANGE as for pagealloc_free(), or
 * -EBUSY if a page is already allocated, leaving the allocator unchanged.
 */
int pagealloc_take(struct pagealloc *pa, u64 base, u64 npages)
{
	int err = check_range(pa, base, npages);

	if (err)
		return err;
	if (!range_is(pa, base, npages, false))
		return -EBUSY;
	alloc_range(pa, base, npages);
	return 0;
}

/**
 * pagealloc_dirty() - mark pages not scavenged
 * @pa: the allocator
 * @base: first page
 * @npages: number of pages
 *
 * Return: 0, or -EINVAL, -EOVERFLOW, -ERANGE as for pagealloc_free().
 */
int pagealloc_dirty(struct pagealloc *pa, u64 base, u64 npages)
{
	u64 end = base + npages, sc = chunk_index(base), ec, c;
	int err = check_range(pa, base, npages);

	if (err)
		return err;
	ec = chunk_end(end);
	for (c = sc; c < ec; c++) {
		struct pagealloc_chunk *ch = chunk_data(pa, c);
		unsigned int lo = piece_lo(c, base);
		unsigned int hi = piece_hi(c, end);
		unsigned int n = bits_count(ch->scav, lo, hi);

		if (!n)
			continue;
		piece_scav(ch, lo, hi, false);
		pa->scav_pages -= n;
		cand_set(pa, c);
	}
	return 0;
}

/*
 * The highest (or the lowest) candidate run, up to max pages; 0 if none is
 * left. Chunks found to have none leave the index.
 */
static u64 next_candidate(struct pagealloc *pa, u64 max, u64 *base,
			  bool highest)
{
	u64 chunk;

	while ((chunk = cand_first(pa, highest)) != NO_PAGE) {
		const struct pagealloc_chunk *ch = chunk_data(pa, chunk);
		unsigned int start, n;

		if (highest)
			n = pagealloc_chunk_scav_candidate(ch, max, &start);
		else
			n = pagealloc_chunk_scav_lowest(ch, max, &start);
		if (n) {
			*base = (chunk << CHUNK_SHIFT) + start;
			return n;
		}
		cand_clear(pa, chunk);
	}
	return 0;
}

/**
 * pagealloc_scavenge() - mark free pages scavenged, highest first
 * @pa: the allocator
 * @npages: at most this many pages
 * @done: set to the number of pages marked
 *
 * Marks the highest free pages that are not scavenged: chunks from the top
 * down, in a chunk the highest free run first and its top part first. The
 * candidate index takes it straight to the chunks that have such pages.
 *
 * Return: 0, or -EINVAL if @npages is 0.
 */
int pagealloc_scavenge(struct pagealloc *pa, u64 npages, u64 *done)
{
	u64 total = 0, base, n;

	if (!npages)
		return -EINVAL;
	while (total < npages) {
		n = next_candidate(pa, npages - total, &base, true);
		if (!n)
			break;
		piece_scav(chunk_data(pa, chunk_index(base)),
			   chunk_page(base), chunk_page(base) + n, true);
		total += n;
	}
	pa->scav_pages += total;
	*done = total;
	return 0;
}

/**
 * pagealloc_scavenge_find() - the lowest free pages not yet scavenged
 * @pa: the allocator
 * @max: at most this many pages
 * @base: set to the first page found
 *
 * Finds the lowest run of free pages that are not scavenged, up to @max
 * pages and inside one chunk: the pages first fit hands out first. Marks
 * nothing: the caller works on the pages (pagepool zeroes them) while they
 * stay free, and then marks those still free with
 * pagealloc_scavenge_range().
 *
 * Return: the number of pages found; 0 if there is nothing to scavenge or
 * @max is 0.
 */
u64 pagealloc_scavenge_find(struct pagealloc *pa, u64 max, u64 *base)
{
	if (!max)
		return 0;
	return next_candidate(pa, max, base, false);
}

/**
 * pagealloc_scavenge_range() - mark the free pages of a range scavenged
 * @pa: the allocator
 * @base: first page
 * @npages: number of pages
 * @done: set to the number of pages newly marked
 *
 * Marks every free page of the range scavenged; allocated pages, and pages
 * already scavenged, are left as they are.
 *
 * Return: 0, or -EINVAL, -EOVERFLOW, -ERANGE as for pagealloc_free(),
 * changing nothing.
 */
int pagealloc_scavenge_range(struct pagealloc *pa, u64 base, u64 npages,
			     u64 *done)
{
	u64 end = base + npages, sc = chunk_index(base), ec, c, total = 0;
	int err = check_range(pa, base, npages);

	if (err)
		return err;
	ec = chunk_end(end);
	for (c = sc; c < ec; c++) {
		struct pagealloc_chunk *ch = chunk_data(pa, c);
		unsigned int lo = piece_lo(c, base);
		unsigned int hi = piece_hi(c, end);
		unsigned int w;

		for (w = lo / 64; w < word_end(hi); w++) {
			u64 m = piece_mask(w, lo, hi) &
				~(ch->alloc[w] | ch->scav[w]);

			ch->scav[w] |= m;
			total += hweight64(m);
		}
	}
	pa->scav_pages += total;
	*done = total;
	return 0;
}

/**
 * pagealloc_grow() - add pages to the allocator
 * @pa: the allocator
 * @base: first page, a multiple of %PAGEALLOC_CHUNK_PAGES
 * @npages: number of pages, a multiple of %PAGEALLOC_CHUNK_PAGES
 *
 * The new pages are free and scavenged. Chunks may be grown in any order
 * and with gaps; an allocation never spans a chunk that was not grown.
 * May allocate the chunk bitmaps (GFP_KERNEL), so it may sleep.
 *
 * Return: 0, or -EINVAL (@npages is 0 or the range is not chunk-aligned),
 * -EOVERFLOW, -ERANGE (beyond the capacity), -EEXIST (a chunk is already
 * grown) or -ENOMEM, leaving the allocator unchanged.
 */
int pagealloc_grow(struct pagealloc *pa, u64 base, u64 npages)
{
	u64 limit, sc, ec, c, b;

	if (!npages || (base | npages) % CHUNK_PAGES)
		return -EINVAL;
	if (check_add_overflow(base, npages, &limit))
		return -EOVERFLOW;
	if (limit > pa->capacity)
		return -ERANGE;
	sc = chunk_index(base);
	ec = chunk_index(limit);
	for (c = sc; c < ec; c++)
		if (chunk_is_grown(pa, c))
			return -EEXIST;

	for (b = sc >> PAGEALLOC_DIR_SHIFT; b <= (ec - 1) >> PAGEALLOC_DIR_SHIFT;
	     b++) {
		if (pa->dir[b])
			continue;
		pa->dir[b] = kvcalloc(dir_block_chunks(pa, b),
				      sizeof(struct pagealloc_chunk),
				      GFP_KERNEL);
		if (!pa->dir[b])
			goto nomem;
	}

	pagealloc_flush(pa);
	for (c = sc; c < ec; c++) {
		struct pagealloc_chunk *ch = chunk_data(pa, c);

		memset(ch->alloc, 0, sizeof(ch->alloc));
		memset(ch->scav, 0xff, sizeof(ch->scav));
		memset(ch->inner, 0, sizeof(ch->inner));
		ch->stale = 0;
		ch->nmax = 1;
		pa->grown[c / 64] |= BIT_ULL(c % 64);
		pa->level[LEAF][c] = FREE_CHUNK_SUM;
	}
	propagate_range(pa, sc, ec);
	if (base < pa->search)
		pa->search = base;
	pa->end_chunk = max(pa->end_chunk, ec);
	pa->grown_pages += npages;
	pa->free_pages += npages;
	pa->scav_pages += npages;
	return 0;

nomem:
	/* Release the blocks this call allocated: none of their chunks grew. */
	for (b = sc >> PAGEALLOC_DIR_SHIFT; b <= (ec - 1) >> PAGEALLOC_DIR_SHIFT;
	     b++) {
		u64 first = b << PAGEALLOC_DIR_SHIFT, k;
		bool used = false;

		for (k = first; k < first + PAGEALLOC_DIR_CHUNKS &&
		     k < pa->nchunks; k++)
			used |= chunk_is_grown(pa, k);
		if (!used) {
			kvfree(pa->dir[b]);
			pa->dir[b] = NULL;
		}
	}
	return -ENOMEM;
}

/**
 * pagealloc_init() - set up an empty allocator
 * @pa: the allocator
 * @capacity: the number of pages it may ever manage, rounded up to whole
 *	chunks; at most %PAGEALLOC_MAX_PAGES
 *
 * Allocates the summary levels and indexes for the whole capacity, once.
 * No page is usable until pagealloc_grow() adds it. May sleep.
 *
 * Return: 0, -EINVAL if @capacity is 0, -ERANGE if it is too large, or
 * -ENOMEM.
 */
int pagealloc_init(struct pagealloc *pa, u64 capacity)
{
	u64 words;
	unsigned int l;

	memset(pa, 0, sizeof(*pa));
	if (!capacity)
		return -EINVAL;
	if (capacity > PAGEALLOC_MAX_PAGES)
		return -ERANGE;
	pa->nchunks = DIV_ROUND_UP(capacity, CHUNK_PAGES);
	pa->capacity = pa->nchunks * CHUNK_PAGES;
	pa->search = NO_PAGE;
	pa->hot = NO_PAGE;

	for (l = 0; l < PAGEALLOC_LEVELS; l++) {
		unsigned int shift = (LEAF - l) * PAGEALLOC_LEVEL_BITS;
		u64 n = DIV_ROUND_UP(pa->nchunks, 1ULL << shift);

		/* Below the root, whole blocks of eight. */
		if (l)
			n = round_up(n, BLOCK);
		pa->level_len[l] = n;
		pa->level[l] = kvcalloc(n, sizeof(u64), GFP_KERNEL);
		if (!pa->level[l])
			goto nomem;
	}

	words = DIV_ROUND_UP(pa->nchunks, 64);
	pa->dir = kvcalloc(DIV_ROUND_UP(pa->nchunks, PAGEALLOC_DIR_CHUNKS),
			   sizeof(*pa->dir), GFP_KERNEL);
	pa->grown = kvcalloc(words, sizeof(u64), GFP_KERNEL);
	if (!pa->dir || !pa->grown)
		goto nomem;
	for (l = 0; l < PAGEALLOC_CAND_LEVELS; l++) {
		pa->cand[l] = kvcalloc(words, sizeof(u64), GFP_KERNEL);
		if (!pa->cand[l])
			goto nomem;
		pa->cand_levels = l + 1;
		if (words == 1)
			break;
		words = DIV_ROUND_UP(words, 64);
	}
	return 0;

nomem:
	pagealloc_destroy(pa);
	return -ENOMEM;
}

/**
 * pagealloc_destroy() - free everything an allocator holds
 * @pa: the allocator, initialised or zeroed
 *
 * Leaves @pa zeroed; calling it twice is harmless.
 */
void pagealloc_destroy(struct pagealloc *pa)
{
	u64 b;
	unsigned int l;

	if (pa->dir)
		for (b = 0; b < DIV_ROUND_UP(pa->nchunks, PAGEALLOC_DIR_CHUNKS);
		     b++)
			kvfree(pa->dir[b]);
	kvfree(pa->dir);
	kvfree(pa->grown);
	for (l = 0; l < PAGEALLOC_LEVELS; l++)
		kvfree(pa->level[l]);
	for (l = 0; l < PAGEALLOC_CAND_LEVELS; l++)
		kvfree(pa->cand[l]);
	memset(pa, 0, sizeof(*pa));
}

/**
 * pagealloc_chunk_grown() - whether a chunk has been grown
 * @pa: the allocator
 * @chunk: chunk index
 *
 * Return: true if @chunk is within the capacity and grown.
 */
bool pagealloc_chunk_grown(const struct pagealloc *pa, u64 chunk)
{
	return chunk < pa->nchunks && chunk_is_grown(pa, chunk);
}

/**
 * pagealloc_chunk() - the bitmaps of a chunk
 * @pa: the allocator
 * @chunk: chunk index
 *
 * Return: the chunk's bitmaps, or NULL if it was never grown.
 */
const struct pagealloc_chunk *pagealloc_chunk(const struct pagealloc *pa,
					      u64 chunk)
{
	if (!pagealloc_chunk_grown(pa, chunk))
		return NULL;
	return chunk_data(pa, chunk);
}

/**
 * pagealloc_chunk_summary() - the leaf summary of a chunk
 * @pa: the allocator
 * @chunk: chunk index
 *
 * Return: the packed summary; 0 (nothing free) for a chunk never grown.
 */
u64 pagealloc_chunk_summary(const struct pagealloc *pa, u64 chunk)
{
	return chunk < pa->nchunks ? pa->level[LEAF][chunk] : 0;
}

/**
 * pagealloc_next_run() - the next run of set bits in a bitmap
 * @bits: the bitmap, 64 bits to a word, bit i of word w being bit 64w + i
 * @nbits: bits in it
 * @pos: where to look from; set to the run's first bit
 * @len: set to the run's length
 *
 * Walks a chunk's bitmaps (or any other) one run at a time, e.g. to print
 * them or to zero the pages pagealloc_alloc_dirty() reported:
 * ``for (pos = 0; pagealloc_next_run(b, n, &pos, &len); pos += len)``.
 *
 * Return: false when no bit is set in [@pos, @nbits); @pos and @len are
 * then left alone.
 */
bool pagealloc_next_run(const u64 *bits, u64 nbits, u64 *pos, u64 *len)
{
	u64 p = *pos, q;

	while (p < nbits && !(bits[p / 64] >> (p % 64)))
		p = (p / 64 + 1) * 64;
	if (p >= nbits)
		return false;
	p += __ffs64(bits[p / 64] >> (p % 64));
	if (p >= nbits)
		return false;
	for (q = p; q < nbits; ) {
		u64 rest = ~bits[q / 64] >> (q % 64);

		if (rest) {
			q += __ffs64(rest);
			break;
		}
		q = (q / 64 + 1) * 64;
	}
	*pos = p;
	*len = min(q, nbits) - p;
	return true;
}

/**
 * pagealloc_largest_free() - the longest run of free pages
 * @pa: the allocator
 *
 * Return: its length in pages, from the root summaries.
 */
u64 pagealloc_largest_free(struct pagealloc *pa)
{
	u64 span = PAGEALLOC_SUM_MAX, best = 0, run = 0, i;

	pagealloc_flush(pa);
	for (i = 0; i < pa->level_len[0]; i++) {
		u64 sum = pa->level[0][i];
		u64 s = pagealloc_sum_start(sum);

		best = max3(best, run + s, pagealloc_sum_max(sum));
		run = s == span ? run + span : pagealloc_sum_end(sum);
	}
	return best;
}

/**
 * pagealloc_metadata_bytes() - memory the allocator holds
 * @pa: the allocator
 *
 * Return: bytes of summaries, bitmaps and indexes, including the struct.
 */
u64 pagealloc_metadata_bytes(const struct pagealloc *pa)
{
	u64 blocks = DIV_ROUND_UP(pa->nchunks, PAGEALLOC_DIR_CHUNKS);
	u64 words = DIV_ROUND_UP(pa->nchunks, 64);
	u64 bytes = sizeof(*pa) + blocks * sizeof(*pa->dir) + words * 8, b;
	unsigned int l;

	for (l = 0; l < PAGEALLOC_LEVELS; l++)
		bytes += pa->level_len[l] * sizeof(u64);
	for (l = 0; l < pa->cand_levels; l++) {
		bytes += words * 8;
		words = DIV_ROUND_UP(words, 64);
	}
	for (b = 0; b < blocks; b++)
		if (pa->dir[b])
			bytes += dir_block_chunks(pa, b) *
				 sizeof(struct pagealloc_chunk);
	return bytes;
}

/**
 * pagealloc_strerror() - a short name for an error the allocator returns
 * @err: 0 or a negative error code
 *
 * Return: a constant string such as "not-allocated".
 */
const char *pagealloc_strerror(int err)
{
	switch (err) {
	case 0:
		return "ok";
	case -EINVAL:
		return "invalid";
	case -EOVERFLOW:
		return "overflow";
	case -ERANGE:
		return "out-of-range";
	case -ENOENT:
		return "not-allocated";
	case -EBUSY:
		return "in-use";
	case -EEXIST:
		return "already-grown";
	case -ENOMEM:
		return "no-memory";
	case -EUCLEAN:
		return "corrupt";
	default:
		return "unknown";
	}
}

/* Report a summary that differs from what its children say. */
static int bad_summary(char *msg, size_t len, int l, u64 i, u64 have, u64 want)
{
	scnprintf(msg, len,
		  "summary level %d index %llu: have (%llu %llu %llu) want (%llu %llu %llu)",
		  l, i, pagealloc_sum_start(have), pagealloc_sum_max(have),
		  pagealloc_sum_end(have), pagealloc_sum_start(want),
		  pagealloc_sum_max(want), pagealloc_sum_end(want));
	return -EUCLEAN;
}

/* Whether entry i of level l is an ancestor of the hot chunk. */
static bool hot_below(const struct pagealloc *pa, int l, u64 i)
{
	return pa->hot != NO_PAGE &&
	       pa->hot >> ((LEAF - l) * PAGEALLOC_LEVEL_BITS) == i;
}

/*
 * The leaves of chunks [sc, ec) and the entries above them whose first
 * chunk is in [sc, ec); the last part also takes the padding entries past
 * the last chunk.
 */
static int check_summaries(const struct pagealloc *pa, u64 sc, u64 ec,
			   char *msg, size_t len)
{
	bool last = ec == pa->nchunks;
	u64 i, want;
	int l;

	for (i = sc; i < (last ? pa->level_len[LEAF] : ec); i++) {
		bool grown = i < pa->nchunks && chunk_is_grown(pa, i);

		want = grown ? pagealloc_summarize(chunk_data(pa, i)->alloc) : 0;
		if (pa->level[LEAF][i] != want)
			return bad_summary(msg, len, LEAF, i,
					   pa->level[LEAF][i], want);
	}
	for (l = LEAF - 1; l >= 0; l--) {
		unsigned int shift = (LEAF - l) * PAGEALLOC_LEVEL_BITS;
		u64 used = DIV_ROUND_UP(pa->nchunks, 1ULL << shift);
		u64 hi = last ? pa->level_len[l] :
			 DIV_ROUND_UP(ec, 1ULL << shift);

		for (i = DIV_ROUND_UP(sc, 1ULL << shift); i < hi; i++) {
			want = 0;
			if (i < used)
				want = merge_block(pa->level[l + 1] + i * BLOCK,
						   pagealloc_level_log_pages(l + 1));
			if (pa->level[l][i] != want &&
			    !hot_below(pa, l, i))
				return bad_summary(msg, len, l, i,
						   pa->level[l][i], want);
		}
	}
	return 0;
}

/* How many free runs of a grown chunk are len pages long. */
static unsigned int runs_of(const struct pagealloc_chunk *ch, u64 len)
{
	u64 holes[CHUNK_WORDS], pos = 0, n;
	unsigned int w, count = 0;

	for (w = 0; w < CHUNK_WORDS; w++)
		holes[w] = ~ch->alloc[w];
	while (pagealloc_next_run(holes, CHUNK_PAGES, &pos, &n)) {
		count += n == len;
		pos += n;
	}
	return count;
}

/* The bitmaps of chunks [sc, ec), counted into @t. */
static int check_chunks(const struct pagealloc *pa, u64 sc, u64 ec,
			struct pagealloc_tally *t, char *msg, size_t len)
{
	unsigned int w;
	u64 c;

	for (c = sc; c < ec; c++) {
		const struct pagealloc_chunk *ch;
		bool candidate = false;
		u64 max;

		if (!chunk_is_grown(pa, c)) {
			if (cand_test(pa, c)) {
				scnprintf(msg, len,
					  "chunk %llu: not grown but a scavenge candidate",
					  c);
				return -EUCLEAN;
			}
			continue;
		}
		ch = chunk_data(pa, c);
		t->grown += CHUNK_PAGES;
		t->end_chunk = c + 1;
		for (w = 0; w < CHUNK_WORDS; w++) {
			if (ch->alloc[w] & ch->scav[w]) {
				scnprintf(msg, len,
					  "chunk %llu word %u: allocated pages marked scavenged (%llx)",
					  c, w, ch->alloc[w] & ch->scav[w]);
				return -EUCLEAN;
			}
			t->free += 64 - hweight64(ch->alloc[w]);
			t->scav += hweight64(ch->scav[w]);
			candidate |= ~(ch->alloc[w] | ch->scav[w]) != 0;
		}
		for (w = 0; w < CHUNK_WORDS; w++) {
			if (!(ch->stale & BIT(w)) &&
			    ch->inner[w] != word_inner(ch->alloc[w])) {
				scnprintf(msg, len,
					  "chunk %llu word %u: interior run %u, counted %u",
					  c, w, ch->inner[w],
					  word_inner(ch->alloc[w]));
				return -EUCLEAN;
			}
		}
		max = field(pa->level[LEAF][c], PAGEALLOC_SUM_BITS, false);
		if (max && ch->nmax > runs_of(ch, max)) {
			scnprintf(msg, len,
				  "chunk %llu: %u runs of %llu pages counted, %u found",
				  c, ch->nmax, max, runs_of(ch, max));
			return -EUCLEAN;
		}
		if (candidate && !cand_test(pa, c)) {
			scnprintf(msg, len,
				  "chunk %llu: has pages to scavenge but is not a candidate",
				  c);
			return -EUCLEAN;
		}
	}
	return 0;
}

static int check_index(const struct pagealloc *pa, char *msg, size_t len)
{
	u64 words = DIV_ROUND_UP(pa->nchunks, 64), i;
	unsigned int k;

	for (k = 0; k + 1 < pa->cand_levels; k++) {
		for (i = 0; i < words; i++) {
			bool up = pa->cand[k + 1][i / 64] & BIT_ULL(i % 64);

			if (up != !!pa->cand[k][i]) {
				scnprintf(msg, len,
					  "scavenge index level %u word %llu: %s but marked %s above",
					  k, i, pa->cand[k][i] ? "set" : "empty",
					  up ? "set" : "empty");
				return -EUCLEAN;
			}
		}
		words = DIV_ROUND_UP(words, 64);
	}
	if (words != 1) {
		scnprintf(msg, len,
			  "scavenge index: %llu words at the top level",
			  words);
		return -EUCLEAN;
	}
	return 0;
}

/* No page of chunks [sc, ec) below the search hint is free. */
static int check_hint(const struct pagealloc *pa, u64 sc, u64 ec, char *msg,
		      size_t len)
{
	u64 c, limit = min(pa->search, pa->capacity);

	ec = min(ec, chunk_index(limit + CHUNK_PAGES - 1));
	for (c = sc; c < ec; c++) {
		const u64 *b;
		unsigned int n;

		if (!chunk_is_grown(pa, c))
			continue;
		b = chunk_data(pa, c)->alloc;
		n = min_t(u64, limit - (c << CHUNK_SHIFT), CHUNK_PAGES);
		if (!piece_is(b, 0, n - 1, true)) {
			scnprintf(msg, len,
				  "search hint %llu: chunk %llu has free pages below it",
				  pa->search, c);
			return -EUCLEAN;
		}
	}
	return 0;
}

/**
 * pagealloc_check_part() - verify the invariants of some chunks
 * @pa: the allocator
 * @sc: first chunk
 * @ec: one past the last chunk, at most @pa->nchunks
 * @t: running counts, zeroed before the first part and given to
 *	pagealloc_check_totals() after the last
 * @msg: buffer for a description of the first mismatch found
 * @len: size of @msg
 *
 * Checks what pagealloc_check() checks chunk by chunk, for chunks [@sc,
 * @ec) only: their summaries, the tree entries above them whose first
 * chunk is among them (the last part also takes the entries past the last
 * chunk), their bitmaps, the search hint and the scavenge index over them.
 * A caller that cannot hold its lock over a whole check calls this part
 * by part, in order, under its lock each time. Takes time proportional to
 * @ec - @sc.
 *
 * Return: 0, or -EUCLEAN with @msg saying what is wrong; -EINVAL if the
 * chunks are not [@sc, @ec) with @sc < @ec <= @pa->nchunks.
 */
int pagealloc_check_part(const struct pagealloc *pa, u64 sc, u64 ec,
			 struct pagealloc_tally *t, char *msg, size_t len)
{
	int err;

	if (sc >= ec || ec > pa->nchunks) {
		scnprintf(msg, len, "chunks [%llu, %llu): not a part of %llu",
			  sc, ec, pa->nchunks);
		return -EINVAL;
	}
	err = check_summaries(pa, sc, ec, msg, len);
	if (!err)
		err = check_chunks(pa, sc, ec, t, msg, len);
	if (!err)
		err = check_hint(pa, sc, ec, msg, len);
	return err;
}

/**
 * pagealloc_check_totals() - verify the counters and the indexes
 * @pa: the allocator
 * @t: the counts pagealloc_check_part() made over all the chunks, with the
 *	allocator unchanged since the first part
 * @msg: buffer for a description of the first mismatch found
 * @len: size of @msg
 *
 * Return: 0 if all is consistent (and @msg holds "ok"), else -EUCLEAN.
 */
int pagealloc_check_totals(const struct pagealloc *pa,
			   const struct pagealloc_tally *t, char *msg,
			   size_t len)
{
	int err = 0;

	if (pa->hot != NO_PAGE && pa->hot >= pa->nchunks) {
		scnprintf(msg, len, "hot chunk %llu beyond capacity", pa->hot);
		return -EUCLEAN;
	}
	if (t->grown != pa->grown_pages || t->free != pa->free_pages ||
	    t->scav != pa->scav_pages || t->end_chunk != pa->end_chunk) {
		scnprintf(msg, len,
			  "counters: grown %llu free %llu scavenged %llu end chunk %llu, counted %llu %llu %llu %llu",
			  pa->grown_pages, pa->free_pages, pa->scav_pages,
			  pa->end_chunk, t->grown, t->free, t->scav,
			  t->end_chunk);
		return -EUCLEAN;
	}
	err = check_index(pa, msg, len);
	if (!err)
		scnprintf(msg, len, "ok");
	return err;
}

/**
 * pagealloc_check() - verify the allocator's invariants
 * @pa: the allocator
 * @msg: buffer for a description of the first mismatch found
 * @len: size of @msg
 *
 * Recomputes every summary from the bitmaps and every level from the one
 * below, recounts the counters, and checks the scavenge index, the search
 * hint, each chunk's count of its longest free runs (never more than there
 * are) and that no allocated page is marked scavenged. Above the leaves,
 * only the ancestors of the chunk waiting for pagealloc_flush() may differ.
 * Takes time proportional to the capacity.
 *
 * Return: 0 if all is consistent (and @msg holds "ok"), else -EUCLEAN.
 */
int pagealloc_check(const struct pagealloc *pa, char *msg, size_t len)
{
	struct pagealloc_tally t = {};
	int err;

	err = pagealloc_check_part(pa, 0, pa->nchunks, &t, msg, len);
	if (!err)
		err = pagealloc_check_totals(pa, &t, msg, len);
	return err;
}
