// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the page allocator core (pagealloc/pagealloc.c).
 *
 * The same file runs in the kernel under UML (kunit/run-kunit) and as a
 * userspace program under ASan and UBSan (tools/testing/kunit-shim.c).
 * Tables marked "Go:" come from the Go runtime's own tests of the design.
 */

#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/slab.h>

#include "../pagealloc/pagealloc_internal.h"
#include "pagealloc_model.h"

#define CP	PAGEALLOC_CHUNK_PAGES
#define FAIL	PAGEALLOC_NOT_FOUND

struct range {
	unsigned int i, n;
};

struct pa_ctx {
	struct pagealloc pa;
	u64 rng;
};

static int pa_test_init(struct kunit *test)
{
	struct pa_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	ctx->rng = 0x5eed;
	test->priv = ctx;
	return 0;
}

static void pa_test_exit(struct kunit *test)
{
	struct pa_ctx *ctx = test->priv;

	if (ctx)
		pagealloc_destroy(&ctx->pa);
}

static u64 rnd(struct kunit *test)
{
	return splitmix64_next(&((struct pa_ctx *)test->priv)->rng);
}

/* An allocator of the given capacity with the given pages grown. */
static struct pagealloc *new_pa(struct kunit *test, u64 capacity, u64 base,
				u64 npages)
{
	struct pagealloc *pa = &((struct pa_ctx *)test->priv)->pa;

	KUNIT_ASSERT_EQ(test, pagealloc_init(pa, capacity), 0);
	if (npages)
		KUNIT_ASSERT_EQ(test, pagealloc_grow(pa, base, npages), 0);
	return pa;
}

static void expect_consistent(struct kunit *test, struct pagealloc *pa)
{
	char msg[200];

	KUNIT_EXPECT_EQ_MSG(test, pagealloc_check(pa, msg, sizeof(msg)), 0,
			    "%s", msg);
}

static void expect_alloc(struct kunit *test, struct pagealloc *pa, u64 npages,
			 u64 want_base, u64 want_scav)
{
	u64 base = 0, scav = 0;

	KUNIT_ASSERT_EQ_MSG(test, pagealloc_alloc(pa, npages, &base, &scav), 0,
			    "alloc %llu", npages);
	KUNIT_EXPECT_EQ_MSG(test, base, want_base, "alloc %llu", npages);
	KUNIT_EXPECT_EQ_MSG(test, scav, want_scav, "alloc %llu", npages);
}

static void expect_no_fit(struct kunit *test, struct pagealloc *pa,
			  u64 npages)
{
	u64 base, scav;

	KUNIT_EXPECT_EQ_MSG(test, pagealloc_alloc(pa, npages, &base, &scav),
			    -ENOMEM, "alloc %llu", npages);
}

/* A fingerprint of all state a rejected call must leave alone. */
static u64 fingerprint(const struct pagealloc *pa)
{
	u64 h = pa->free_pages * 31 + pa->scav_pages * 7 + pa->grown_pages;
	u64 c, w;
	unsigned int l;

	h = h * 131 + pa->search + pa->end_chunk + pa->origin * 3;
	for (l = 0; l < PAGEALLOC_LEVELS; l++)
		for (c = 0; c < pa->level_len[l]; c++)
			h = h * 1099511628211ULL + pa->level[l][c];
	for (c = 0; c < pa->nchunks; c++) {
		const struct pagealloc_chunk *ch = pagealloc_chunk(pa, c);

		for (w = 0; ch && w < PAGEALLOC_CHUNK_WORDS; w++)
			h = h * 1099511628211ULL + ch->alloc[w] * 3 +
			    ch->scav[w];
	}
	return h;
}

static void set_ranges(u64 *bits, const struct range *r, unsigned int n)
{
	unsigned int k, p;

	for (k = 0; k < n; k++)
		for (p = r[k].i; p < r[k].i + r[k].n; p++)
			bits[p / 64] |= BIT_ULL(p % 64);
}

/* Slow references: one page at a time. */
static u64 slow_summarize(const u64 *bits, unsigned int npages)
{
	unsigned int p, run = 0, max = 0, start = 0;
	bool seen = false;

	for (p = 0; p < npages; p++) {
		if (bits[p / 64] & BIT_ULL(p % 64)) {
			if (!seen)
				start = run;
			seen = true;
			run = 0;
		} else {
			run++;
			max = max(max, run);
		}
	}
	if (!seen)
		start = npages;
	return pagealloc_sum_pack(start, max, run);
}

static unsigned int slow_find(const u64 *bits, unsigned int npages,
			      unsigned int search)
{
	unsigned int p, run = 0;

	for (p = search; p < CP; p++) {
		run = bits[p / 64] & BIT_ULL(p % 64) ? 0 : run + 1;
		if (run == npages)
			return p + 1 - npages;
	}
	return FAIL;
}

/* Go: TestPallocSum via the pack/unpack round trip. */
static void sum_pack_roundtrip(struct kunit *test)
{
	u64 lim = PAGEALLOC_SUM_MAX - 1, k;

	for (k = 0; k < 1000; k++) {
		u64 s = rnd(test) % (lim + 1), m = rnd(test) % (lim + 1);
		u64 e = rnd(test) % (lim + 1), sum;

		sum = pagealloc_sum_pack(s, m, e);
		KUNIT_EXPECT_EQ(test, pagealloc_sum_start(sum), s);
		KUNIT_EXPECT_EQ(test, pagealloc_sum_max(sum), m);
		KUNIT_EXPECT_EQ(test, pagealloc_sum_end(sum), e);
	}
	KUNIT_EXPECT_EQ(test, pagealloc_sum_pack(lim, lim, lim),
			lim | lim << 21 | lim << 42);
	KUNIT_EXPECT_EQ(test, pagealloc_sum_pack(0, 0, 0), 0ULL);
	/* A wholly free root region has its own encoding. */
	KUNIT_EXPECT_EQ(test, pagealloc_sum_pack(PAGEALLOC_SUM_MAX,
						 PAGEALLOC_SUM_MAX,
						 PAGEALLOC_SUM_MAX),
			PAGEALLOC_SUM_ALL_FREE);
	KUNIT_EXPECT_EQ(test, pagealloc_sum_start(PAGEALLOC_SUM_ALL_FREE),
			PAGEALLOC_SUM_MAX);
	KUNIT_EXPECT_EQ(test, pagealloc_sum_max(PAGEALLOC_SUM_ALL_FREE),
			PAGEALLOC_SUM_MAX);
	KUNIT_EXPECT_EQ(test, pagealloc_sum_end(PAGEALLOC_SUM_ALL_FREE),
			PAGEALLOC_SUM_MAX);
}

/* Go: TestFindBitRange64. */
static void find_bit_run_table(struct kunit *test)
{
	static const struct {
		u64 x;
		unsigned int n, want;
	} cases[] = {
		{ 0x8000000000000000ULL, 1, 63 },
		{ 0xc000010001010000ULL, 2, 62 },
		{ 0xc000010001030000ULL, 2, 16 },
		{ 0xe000030001030000ULL, 3, 61 },
		{ 0xe000030001070000ULL, 3, 16 },
		{ 0xffff03ff01070000ULL, 16, 48 },
		{ 0xffff03ff0107ffffULL, 16, 0 },
		{ 0x0fff03ff01079fffULL, 16, FAIL },
	};
	unsigned int k;

	for (k = 1; k <= 64; k++) {
		KUNIT_EXPECT_EQ(test, pagealloc_find_bit_run(~0ULL, k), 0U);
		KUNIT_EXPECT_EQ(test, pagealloc_find_bit_run(0, k), FAIL);
	}
	for (k = 0; k < ARRAY_SIZE(cases); k++)
		KUNIT_EXPECT_EQ_MSG(test, pagealloc_find_bit_run(cases[k].x,
								 cases[k].n),
				    cases[k].want, "case %u", k);
}

static void find_bit_run_random(struct kunit *test)
{
	unsigned int k, n, i, want;

	for (k = 0; k < 3000; k++) {
		u64 x = rnd(test);

		/* Denser words have longer runs. */
		if (k % 3 == 1)
			x |= rnd(test);
		if (k % 3 == 2)
			x |= rnd(test) | rnd(test);
		n = 1 + k % 64;
		want = FAIL;
		for (i = 0; i + n <= 64 && want == FAIL; i++) {
			u64 m = (n == 64 ? ~0ULL : BIT_ULL(n) - 1) << i;

			if ((x & m) == m)
				want = i;
		}
		KUNIT_EXPECT_EQ_MSG(test, pagealloc_find_bit_run(x, n), want,
				    "x %llx n %u", x, n);
	}
}

/* Go: TestPallocBitsSummarize (ranges of free pages). */
static void summarize_table(struct kunit *test)
{
	static const struct {
		struct range free[3];
		unsigned int nfree;
		unsigned int start, max, end;
	} cases[] = {
		{ {}, 0, 0, 0, 0 },
		{ { { 0, 10 } }, 1, 10, 10, 0 },
		{ { { CP - 40, 40 } }, 1, 0, 40, 40 },
		{ { { 0, 11 }, { CP - 23, 23 } }, 2, 11, 23, 23 },
		{ { { 0, 4 }, { 50, 100 }, { CP - 4, 4 } }, 3, 4, 100, 4 },
		{ { { 1, 20 }, { 35, 241 }, { CP - 50, 30 } }, 3, 0, 241, 0 },
		{ { { 35, 2 }, { 40, 5 }, { 100, 5 } }, 3, 0, 5, 0 },
		{ { { 2, 1 } }, 1, 0, 1, 0 },
		{ { { 0, CP } }, 1, CP, CP, CP },
	};
	unsigned int k, w;

	for (k = 0; k < ARRAY_SIZE(cases); k++) {
		u64 bits[PAGEALLOC_CHUNK_WORDS] = {};

		set_ranges(bits, cases[k].free, cases[k].nfree);
		for (w = 0; w < PAGEALLOC_CHUNK_WORDS; w++)
			bits[w] = ~bits[w];
		KUNIT_EXPECT_EQ_MSG(test, pagealloc_summarize(bits),
				    pagealloc_sum_pack(cases[k].start,
						       cases[k].max,
						       cases[k].end),
				    "case %u", k);
	}
}

static void summarize_random(struct kunit *test)
{
	u64 bits[PAGEALLOC_CHUNK_WORDS];
	unsigned int k, w;

	for (k = 0; k < 2000; k++) {
		for (w = 0; w < PAGEALLOC_CHUNK_WORDS; w++) {
			/* Mix sparse, dense, empty and full words. */
			switch ((k + w * rnd(test)) % 5) {
			case 0:
				bits[w] = rnd(test) & rnd(test) & rnd(test);
				break;
			case 1:
				bits[w] = rnd(test) | rnd(test);
				break;
			case 2:
				bits[w] = 0;
				break;
			case 3:
				bits[w] = ~0ULL;
				break;
			default:
				bits[w] = rnd(test);
			}
		}
		KUNIT_EXPECT_EQ_MSG(test, pagealloc_summarize(bits),
				    slow_summarize(bits, CP), "case %u", k);
	}
}

/* Merging eight chunk summaries equals summarising the 4096 pages. */
static void merge_random(struct kunit *test)
{
	u64 *bits = kunit_kcalloc(test, 64, sizeof(u64), GFP_KERNEL);
	u64 sums[8];
	unsigned int k, w;

	KUNIT_ASSERT_NOT_NULL(test, bits);
	for (k = 0; k < 500; k++) {
		for (w = 0; w < 64; w++) {
			u64 kind = rnd(test) % 4;

			bits[w] = kind == 0 ? 0 : kind == 1 ? ~0ULL :
				  rnd(test) & rnd(test);
		}
		for (w = 0; w < 8; w++)
			sums[w] = pagealloc_summarize(bits + w * 8);
		KUNIT_EXPECT_EQ_MSG(test, pagealloc_merge(sums, 8, 9),
				    slow_summarize(bits, 4096), "case %u", k);
	}
}

/* Merges at the top of the tree, where 2^21 pages use the special code. */
static void merge_all_free_root(struct kunit *test)
{
	u64 free18 = pagealloc_sum_pack(1 << 18, 1 << 18, 1 << 18);
	u64 sums[8];
	unsigned int k;

	for (k = 0; k < 8; k++)
		sums[k] = free18;
	KUNIT_EXPECT_EQ(test, pagealloc_merge(sums, 8, 18),
			PAGEALLOC_SUM_ALL_FREE);

	/* One page short of wholly free is an ordinary summary. */
	sums[7] = pagealloc_sum_pack((1 << 18) - 1, (1 << 18) - 1, 0);
	KUNIT_EXPECT_EQ(test, pagealloc_merge(sums, 8, 18),
			pagealloc_sum_pack(PAGEALLOC_SUM_MAX - 1,
					   PAGEALLOC_SUM_MAX - 1, 0));

	/* Free at both ends, a full child in the middle. */
	sums[7] = free18;
	sums[3] = 0;
	KUNIT_EXPECT_EQ(test, pagealloc_merge(sums, 8, 18),
			pagealloc_sum_pack(3 << 18, 4 << 18, 4 << 18));

	/* A run across children: ends of one meet starts of the next. */
	for (k = 0; k < 8; k++)
		sums[k] = 0;
	sums[2] = pagealloc_sum_pack(0, 3, 5);
	sums[3] = pagealloc_sum_pack(7, 7, 0);
	KUNIT_EXPECT_EQ(test, pagealloc_merge(sums, 8, 9),
			pagealloc_sum_pack(0, 12, 0));
	KUNIT_EXPECT_EQ(test, pagealloc_merge(sums, 1, 9), 0ULL);
}

/* Go: TestPallocBitsAlloc, through the in-chunk search. */
static void chunk_find_table(struct kunit *test)
{
	static const struct {
		struct range before[2];
		unsigned int nbefore, npages, hits[6], nhits;
	} cases[] = {
		{ {}, 0, 1, { 0, 1, 2, 3, 4, 5 }, 6 },
		{ {}, 0, 2, { 0, 2, 4, 6, 8, 10 }, 6 },
		{ {}, 0, 5, { 0, 5, 10, 15, 20 }, 5 },
		{ {}, 0, 64, { 0, 64, 128 }, 3 },
		{ {}, 0, 65, { 0, 65, 130 }, 3 },
		{ { { 0, CP } }, 1, 1, { FAIL, FAIL }, 2 },
		{ { { 0, CP } }, 1, 2, { FAIL, FAIL }, 2 },
		{ { { 0, CP } }, 1, 5, { FAIL, FAIL }, 2 },
		{ { { 0, CP } }, 1, 65, { FAIL, FAIL }, 2 },
		{ { { 0, CP / 2 - 3 }, { CP / 2 - 2, CP / 2 + 2 } }, 2, 1,
		  { CP / 2 - 3, FAIL }, 2 },
		{ { { 0, CP / 2 - 3 }, { CP / 2 - 1, CP / 2 + 1 } }, 2, 2,
		  { CP / 2 - 3, FAIL }, 2 },
		{ { { 0, CP / 2 - 3 }, { CP / 2 + 2, CP / 2 - 2 } }, 2, 5,
		  { CP / 2 - 3, FAIL }, 2 },
		{ { { 0, CP / 2 - 31 }, { CP / 2 + 34, CP / 2 - 34 } }, 2, 65,
		  { CP / 2 - 31, FAIL }, 2 },
		{ { { 0, 185 }, { 331, 1 } }, 2, 161, { 332 }, 1 },
	};
	/* Go: SomeFree64 */
	static const struct range some_free[] = {
		{ 0, 32 }, { 64, 32 }, { 100, CP - 100 },
	};
	u64 bits[PAGEALLOC_CHUNK_WORDS];
	unsigned int k, h, first;

	for (k = 0; k < ARRAY_SIZE(cases); k++) {
		memset(bits, 0, sizeof(bits));
		set_ranges(bits, cases[k].before, cases[k].nbefore);
		for (h = 0; h < cases[k].nhits; h++) {
			unsigned int got = pagealloc_chunk_find(bits,
							cases[k].npages, 0,
							&first);
			struct range r = { got, cases[k].npages };

			KUNIT_EXPECT_EQ_MSG(test, got, cases[k].hits[h],
					    "case %u hit %u", k, h);
			if (got != FAIL)
				set_ranges(bits, &r, 1);
		}
	}
	memset(bits, 0, sizeof(bits));
	set_ranges(bits, some_free, ARRAY_SIZE(some_free));
	KUNIT_EXPECT_EQ(test, pagealloc_chunk_find(bits, 64, 0, &first), FAIL);
	KUNIT_EXPECT_EQ(test, first, 32U);
}

static void chunk_find_random(struct kunit *test)
{
	u64 bits[PAGEALLOC_CHUNK_WORDS];
	unsigned int k, w, first;

	for (k = 0; k < 3000; k++) {
		unsigned int npages, search, want, got, wantfirst;

		for (w = 0; w < PAGEALLOC_CHUNK_WORDS; w++)
			bits[w] = rnd(test) % 3 ? rnd(test) & rnd(test) &
						   rnd(test) : 0;
		switch (k % 4) {
		case 0:
			npages = 1;
			break;
		case 1:
			npages = 2 + rnd(test) % 63;
			break;
		case 2:
			npages = 65 + rnd(test) % 200;
			break;
		default:
			npages = 1 + rnd(test) % CP;
		}
		/* The caller promises that nothing below search is free. */
		search = rnd(test) % 3 ? 0 : rnd(test) % CP;
		if (search) {
			struct range r = { 0, search };

			set_ranges(bits, &r, 1);
		}
		want = slow_find(bits, npages, 0);
		wantfirst = slow_find(bits, 1, search / 64 * 64);
		got = pagealloc_chunk_find(bits, npages, search, &first);
		KUNIT_EXPECT_EQ_MSG(test, got, want, "n %u search %u", npages,
				    search);
		if (got != FAIL)
			KUNIT_EXPECT_EQ(test, first, wantfirst);
	}
}

/* Go: TestPallocDataFindScavengeCandidate, the cases with min = 1. */
static void scav_candidate_table(struct kunit *test)
{
	static const struct {
		struct range alloc[3], scav[2];
		unsigned int nalloc, nscav, max, start, n;
	} cases[] = {
		/* MixedMin1 */
		{ { { 0, 40 }, { 42, CP - 42 } }, { { 0, 41 }, { 42, CP - 42 } },
		  2, 2, CP, 41, 1 },
		/* MultiMin1 */
		{ { { 0, 63 }, { 65, 20 }, { 87, CP - 87 } }, { { 86, 1 } },
		  3, 1, CP, 85, 1 },
		/* AllFreeMin1 */
		{ {}, {}, 0, 0, CP, 0, CP },
		/* AllScavengedMin1 */
		{ {}, { { 0, CP } }, 0, 1, CP, 0, 0 },
		/* NoneFreeMin1 */
		{ { { 0, CP } }, { { CP / 2, CP / 2 } }, 1, 1, CP, 0, 0 },
		/* StartFreeMin1 */
		{ { { 1, CP - 1 } }, {}, 1, 0, CP, 0, 1 },
		/* EndFreeMin1 */
		{ { { 0, CP - 1 } }, {}, 1, 0, CP, CP - 1, 1 },
		/* Straddle64Min1 */
		{ { { 0, 63 }, { 65, CP - 65 } }, {}, 2, 0, 2, 63, 2 },
		/* BottomEdge64WithFullMin1 */
		{ { { 64, 64 }, { 131, CP - 131 } }, { { 1, 10 } },
		  2, 1, 3, 128, 3 },
		/* BottomEdge64WithPocketMin1 */
		{ { { 64, 62 }, { 127, 1 }, { 131, CP - 131 } }, { { 1, 10 } },
		  3, 1, 3, 128, 3 },
		/* Max0Min1: our smallest max is one page */
		{ {}, { { 0, CP - 1 } }, 0, 1, 1, CP - 1, 1 },
		/* OneFree */
		{ { { 0, 40 }, { 48, CP - 48 } }, {}, 2, 0, CP, 40, 8 },
	};
	unsigned int k, start, n;

	for (k = 0; k < ARRAY_SIZE(cases); k++) {
		struct pagealloc_chunk c = {};

		set_ranges(c.alloc, cases[k].alloc, cases[k].nalloc);
		set_ranges(c.scav, cases[k].scav, cases[k].nscav);
		start = 0;
		n = pagealloc_chunk_scav_candidate(&c, cases[k].max, &start);
		KUNIT_EXPECT_EQ_MSG(test, n, cases[k].n, "case %u", k);
		if (n && cases[k].n)
			KUNIT_EXPECT_EQ_MSG(test, start, cases[k].start,
					    "case %u", k);
	}
}

/*
 * Random bitmaps for the candidate searches: words wholly free, sparsely
 * allocated, partly or wholly scavenged; never allocated and scavenged.
 */
static void random_chunk(struct kunit *test, struct pagealloc_chunk *c)
{
	unsigned int w;

	for (w = 0; w < PAGEALLOC_CHUNK_WORDS; w++) {
		c->alloc[w] = rnd(test) % 2 ? rnd(test) & rnd(test) : 0;
		c->scav[w] = rnd(test) % 2 ? 0 :
			     rnd(test) & rnd(test) & ~c->alloc[w];
		if (rnd(test) % 4 == 0)
			c->scav[w] = ~c->alloc[w];
	}
}

static void scav_candidate_random(struct kunit *test)
{
	unsigned int k, start, n, p, top, want;

	for (k = 0; k < 3000; k++) {
		struct pagealloc_chunk c;
		u64 max = 1 + rnd(test) % (k % 2 ? 8 : 700);

		random_chunk(test, &c);
		/* The highest candidate page, then the run below it. */
		for (top = CP; top > 0; top--) {
			p = top - 1;
			if (!((c.alloc[p / 64] | c.scav[p / 64]) &
			      BIT_ULL(p % 64)))
				break;
		}
		want = 0;
		while (want < top && want < max) {
			p = top - 1 - want;
			if ((c.alloc[p / 64] | c.scav[p / 64]) & BIT_ULL(p % 64))
				break;
			want++;
		}
		n = pagealloc_chunk_scav_candidate(&c, max, &start);
		KUNIT_EXPECT_EQ_MSG(test, n, want, "case %u", k);
		if (n)
			KUNIT_EXPECT_EQ_MSG(test, start, top - want, "case %u",
					    k);
	}
}

static void scav_lowest_random(struct kunit *test)
{
	unsigned int k, start, n, p, bottom, want;

	for (k = 0; k < 3000; k++) {
		struct pagealloc_chunk c;
		u64 max = 1 + rnd(test) % (k % 2 ? 8 : 700);

		random_chunk(test, &c);
		/* The lowest candidate page, then the run above it. */
		for (bottom = 0; bottom < CP; bottom++)
			if (!((c.alloc[bottom / 64] | c.scav[bottom / 64]) &
			      BIT_ULL(bottom % 64)))
				break;
		want = 0;
		while (bottom + want < CP && want < max) {
			p = bottom + want;
			if ((c.alloc[p / 64] | c.scav[p / 64]) & BIT_ULL(p % 64))
				break;
			want++;
		}
		n = pagealloc_chunk_scav_lowest(&c, max, &start);
		KUNIT_EXPECT_EQ_MSG(test, n, want, "case %u", k);
		if (n)
			KUNIT_EXPECT_EQ_MSG(test, start, bottom, "case %u", k);
	}
}

static void init_rejects_bad_capacity(struct kunit *test)
{
	struct pagealloc *pa = &((struct pa_ctx *)test->priv)->pa;
	unsigned int l;

	KUNIT_EXPECT_EQ(test, pagealloc_init(pa, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, pagealloc_init(pa, PAGEALLOC_MAX_PAGES + 1),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, pagealloc_init(pa, U64_MAX), -ERANGE);

	/* One page still gets a whole chunk, and a tree over it. */
	KUNIT_ASSERT_EQ(test, pagealloc_init(pa, 1), 0);
	KUNIT_EXPECT_EQ(test, pa->capacity, (u64)CP);
	KUNIT_EXPECT_EQ(test, pa->level_len[0], 1ULL);
	for (l = 1; l < PAGEALLOC_LEVELS; l++)
		KUNIT_EXPECT_EQ(test, pa->level_len[l], 8ULL);
	expect_no_fit(test, pa, 1);
	pagealloc_destroy(pa);

	/* Two root entries' worth plus one chunk. */
	KUNIT_ASSERT_EQ(test, pagealloc_init(pa, 2 * PAGEALLOC_SUM_MAX + 1),
			0);
	KUNIT_EXPECT_EQ(test, pa->level_len[0], 3ULL);
	KUNIT_EXPECT_EQ(test, pa->level_len[PAGEALLOC_LEAF], 8200ULL);
	expect_consistent(test, pa);
}

static void grow_rejects_bad_calls(struct kunit *test)
{
	struct pagealloc *pa = new_pa(test, 64 * CP, 8 * CP, 8 * CP);
	u64 before = fingerprint(pa);

	KUNIT_EXPECT_EQ(test, pagealloc_grow(pa, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, pagealloc_grow(pa, 1, CP), -EINVAL);
	KUNIT_EXPECT_EQ(test, pagealloc_grow(pa, 0, CP + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, pagealloc_grow(pa, U64_MAX - CP + 1, CP),
			-EOVERFLOW);
	KUNIT_EXPECT_EQ(test, pagealloc_grow(pa, 64 * CP, CP), -ERANGE);
	KUNIT_EXPECT_EQ(test, pagealloc_grow(pa, 63 * CP, 2 * CP), -ERANGE);
	KUNIT_EXPECT_EQ(test, pagealloc_grow(pa, 8 * CP, CP), -EEXIST);
	/* Overlapping a grown chunk at either end. */
	KUNIT_EXPECT_EQ(test, pagealloc_grow(pa, 4 * CP, 5 * CP), -EEXIST);
	KUNIT_EXPECT_EQ(test, pagealloc_grow(pa, 15 * CP, 5 * CP), -EEXIST);
	KUNIT_EXPECT_EQ(test, fingerprint(pa), before);
	expect_consistent(test, pa);

	/* The chunks next to the grown ones are still free to grow. */
	KUNIT_EXPECT_EQ(test, pagealloc_grow(pa, 7 * CP, CP), 0);
	KUNIT_EXPECT_EQ(test, pagealloc_grow(pa, 16 * CP, CP), 0);
	expect_alloc(test, pa, 10 * CP, 7 * CP, 10 * CP);
	expect_consistent(test, pa);
}

/* Go: TestPageAllocGrow, in shuffled orders. */
static void grow_in_any_order(struct kunit *test)
{
	static const unsigned int order[] = {
		9, 3, 15, 0, 7, 12, 1, 14, 4, 11, 2, 8, 13, 6, 10, 5,
	};
	struct pagealloc *pa = new_pa(test, 16 * CP, 0, 0);
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(order); k++) {
		KUNIT_EXPECT_EQ(test, pagealloc_grow(pa, order[k] * CP, CP), 0);
		KUNIT_EXPECT_EQ(test, pagealloc_chunk_summary(pa, order[k]),
				pagealloc_sum_pack(CP, CP, CP));
		KUNIT_EXPECT_TRUE(test, pagealloc_chunk_grown(pa, order[k]));
		expect_consistent(test, pa);
	}
	KUNIT_EXPECT_EQ(test, pagealloc_largest_free(pa), 16ULL * CP);
	expect_alloc(test, pa, 16 * CP, 0, 16 * CP);
	expect_consistent(test, pa);
}

/* No allocation spans a chunk that was never grown. */
static void grow_sparse_never_spans_gap(struct kunit *test)
{
	struct pagealloc *pa = new_pa(test, 0x100002ULL * CP, 0, CP);

	KUNIT_ASSERT_EQ(test, pagealloc_grow(pa, 2 * CP, CP), 0);
	KUNIT_ASSERT_EQ(test, pagealloc_grow(pa, 0x100001ULL * CP, CP), 0);
	KUNIT_EXPECT_FALSE(test, pagealloc_chunk_grown(pa, 1));
	KUNIT_EXPECT_EQ(test, pagealloc_chunk_summary(pa, 1), 0ULL);
	expect_no_fit(test, pa, CP + 1);
	expect_alloc(test, pa, CP, 0, CP);
	expect_alloc(test, pa, CP, 2 * CP, CP);
	expect_alloc(test, pa, 1, 0x100001ULL * CP, 1);
	expect_no_fit(test, pa, CP);
	expect_consistent(test, pa);
}

static void alloc_rejects_zero(struct kunit *test)
{
	struct pagealloc *pa = new_pa(test, CP, 0, CP);
	u64 before = fingerprint(pa), base = 7, scav = 7;

	KUNIT_EXPECT_EQ(test, pagealloc_alloc(pa, 0, &base, &scav), -EINVAL);
	KUNIT_EXPECT_EQ(test, base, 7ULL);
	KUNIT_EXPECT_EQ(test, fingerprint(pa), before);
	expect_no_fit(test, pa, CP + 1);
	expect_no_fit(test, pa, U64_MAX);
	KUNIT_EXPECT_EQ(test, fingerprint(pa), before);
}

/* First fit with holes of several sizes, by hand. */
static void alloc_first_fit(struct kunit *test)
{
	struct pagealloc *pa = new_pa(test, 4 * CP, 0, 4 * CP);

	expect_alloc(test, pa, 10, 0, 10);
	expect_alloc(test, pa, 3, 10, 3);
	expect_alloc(test, pa, 100, 13, 100);
	expect_alloc(test, pa, 7, 113, 7);
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, 10, 3), 0);
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, 13, 100), 0);
	/* The hole [10, 113) takes the next fits in address order. */
	expect_alloc(test, pa, 2, 10, 0);
	expect_alloc(test, pa, 101, 12, 0);
	expect_alloc(test, pa, 1, 120, 1);
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, 0, 10), 0);
	expect_alloc(test, pa, 11, 121, 11);
	expect_alloc(test, pa, 10, 0, 0);
	expect_alloc(test, pa, 3 * CP, 132, 3 * CP);
	expect_consistent(test, pa);
}

/*
 * A free run that straddles the boundary of each tree level, so that the
 * search must join an end and a start at that level to find it.
 */
static void alloc_across_every_level(struct kunit *test)
{
	static const u64 bounds[] = {
		CP, 8 * CP, 64 * CP, 512 * CP, 4096 * CP,
	};
	static const unsigned int sides[][2] = {
		{ 1, 1 }, { 3, 200 }, { 300, 5 }, { 511, 512 }, { 512, 511 },
	};
	unsigned int b, s;

	for (b = 0; b < ARRAY_SIZE(bounds); b++) {
		for (s = 0; s < ARRAY_SIZE(sides); s++) {
			u64 bound = bounds[b], lo = sides[s][0];
			u64 hi = sides[s][1];
			struct pagealloc *pa;

			pa = new_pa(test, 2 * 4096 * CP, bound - CP, CP);
			KUNIT_ASSERT_EQ(test, pagealloc_grow(pa, bound, CP), 0);
			if (lo < CP)
				KUNIT_ASSERT_EQ(test, pagealloc_take(pa, bound - CP,
								     CP - lo), 0);
			if (hi < CP)
				KUNIT_ASSERT_EQ(test, pagealloc_take(pa, bound + hi,
								     CP - hi), 0);
			expect_no_fit(test, pa, lo + hi + 1);
			expect_alloc(test, pa, lo + hi, bound - lo, lo + hi);
			expect_consistent(test, pa);
			KUNIT_EXPECT_EQ(test, pagealloc_free(pa, bound - lo,
							     lo + hi), 0);
			expect_consistent(test, pa);
			pagealloc_destroy(pa);
		}
	}
}

/* Runs longer than a root entry (2^21 pages) join root entries. */
static void alloc_spans_root_entries(struct kunit *test)
{
	u64 root = PAGEALLOC_SUM_MAX;
	struct pagealloc *pa = new_pa(test, 3 * root, 0, 3 * root);

	expect_alloc(test, pa, 5, 0, 5);
	expect_alloc(test, pa, root + 1000, 5, root + 1000);
	expect_alloc(test, pa, root, root + 1005, root);
	expect_no_fit(test, pa, root);
	KUNIT_EXPECT_EQ(test, pagealloc_largest_free(pa), root - 1005);
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, 0, 2 * root + 1006), -ENOENT);
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, 0, 2 * root + 1005), 0);
	pagealloc_flush(pa);
	KUNIT_EXPECT_EQ(test, pa->level[0][0], PAGEALLOC_SUM_ALL_FREE);
	KUNIT_EXPECT_EQ(test, pa->level[0][2], PAGEALLOC_SUM_ALL_FREE);
	expect_alloc(test, pa, 3 * root, 0, root - 1005);
	expect_consistent(test, pa);
}

/* Go: TestPageAllocExhaust. */
static void alloc_exhaust(struct kunit *test)
{
	static const u64 sizes[] = {
		1, 2, 3, 4, 5, 8, 16, 64, 1024, 1025, 2048, 2049,
	};
	unsigned int k;
	u64 i;

	for (k = 0; k < ARRAY_SIZE(sizes); k++) {
		struct pagealloc *pa = new_pa(test, 4 * CP, 0, 4 * CP);
		u64 n = sizes[k], count = 4 * CP / n;

		for (i = 0; i < count; i++)
			expect_alloc(test, pa, n, i * n, n);
		expect_no_fit(test, pa, n);
		KUNIT_EXPECT_EQ(test, pa->free_pages, 4 * CP - count * n);
		expect_consistent(test, pa);
		pagealloc_destroy(pa);
	}
}

/* Go: TestPageAllocAlloc "AllFree5": scavenged pages are counted. */
static void alloc_counts_scavenged(struct kunit *test)
{
	struct pagealloc *pa = new_pa(test, CP, 0, CP);

	/* Only [0, 8), 9 and [17, 22) stay scavenged. */
	KUNIT_ASSERT_EQ(test, pagealloc_dirty(pa, 8, 1), 0);
	KUNIT_ASSERT_EQ(test, pagealloc_dirty(pa, 10, 7), 0);
	KUNIT_ASSERT_EQ(test, pagealloc_dirty(pa, 22, CP - 22), 0);
	KUNIT_EXPECT_EQ(test, pa->scav_pages, 14ULL);
	expect_alloc(test, pa, 5, 0, 5);
	expect_alloc(test, pa, 5, 5, 4);
	expect_alloc(test, pa, 5, 10, 0);
	expect_alloc(test, pa, 5, 15, 3);
	expect_alloc(test, pa, 5, 20, 2);
	KUNIT_EXPECT_EQ(test, pa->scav_pages, 0ULL);
	/* Freed pages are dirty: reallocating them counts nothing. */
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, 0, 25), 0);
	expect_alloc(test, pa, 25, 0, 0);
	expect_consistent(test, pa);
}

static void free_rejects_bad_calls(struct kunit *test)
{
	struct pagealloc *pa = new_pa(test, 8 * CP, 0, 2 * CP);
	u64 before;

	KUNIT_ASSERT_EQ(test, pagealloc_grow(pa, 4 * CP, CP), 0);
	expect_alloc(test, pa, 100, 0, 100);
	expect_alloc(test, pa, CP, 100, CP);
	before = fingerprint(pa);
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, U64_MAX, 2), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, 8 * CP - 1, 2), -ERANGE);
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, U64_MAX - 5, 3), -ERANGE);
	/* Chunk 2 was never grown, chunk 1 ends where it starts. */
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, 2 * CP, 1), -ERANGE);
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, 2 * CP - 1, 2), -ERANGE);
	/* Not allocated, wholly or in part. */
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, 4 * CP, 1), -ENOENT);
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, CP + 100, 1), -ENOENT);
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, CP + 99, 2), -ENOENT);
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, 50, CP + 100), -ENOENT);
	KUNIT_EXPECT_EQ(test, fingerprint(pa), before);
	expect_consistent(test, pa);

	/* A double free is rejected the second time. */
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, 10, 5), 0);
	before = fingerprint(pa);
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, 10, 5), -ENOENT);
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, 12, 1), -ENOENT);
	KUNIT_EXPECT_EQ(test, fingerprint(pa), before);
}

/* Parts of allocations may be freed, and a freed page is found again. */
static void free_partial_and_reuse(struct kunit *test)
{
	struct pagealloc *pa = new_pa(test, 2 * CP, 0, 2 * CP);

	expect_alloc(test, pa, 2 * CP, 0, 2 * CP);
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, 500, 30), 0);
	KUNIT_EXPECT_EQ(test, pagealloc_chunk_summary(pa, 0),
			pagealloc_sum_pack(0, 12, 12));
	KUNIT_EXPECT_EQ(test, pagealloc_chunk_summary(pa, 1),
			pagealloc_sum_pack(18, 18, 0));
	expect_no_fit(test, pa, 31);
	expect_alloc(test, pa, 30, 500, 0);
	/* The single-page path, from the top and from the bottom. */
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, 2 * CP - 1, 1), 0);
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, 0, 1), 0);
	expect_alloc(test, pa, 1, 0, 0);
	expect_alloc(test, pa, 1, 2 * CP - 1, 0);
	expect_no_fit(test, pa, 1);
	KUNIT_EXPECT_EQ(test, pa->search, PAGEALLOC_NO_PAGE);
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, 700, 1), 0);
	KUNIT_EXPECT_EQ(test, pa->search, 700ULL);
	expect_alloc(test, pa, 1, 700, 0);
	expect_consistent(test, pa);
}

/* Go: TestPageAllocFree "StraddlePallocChunkPages*2" and neighbours. */
static void free_across_chunks(struct kunit *test)
{
	struct pagealloc *pa = new_pa(test, 8 * CP, 0, 8 * CP);

	expect_alloc(test, pa, 8 * CP, 0, 8 * CP);
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, CP / 2, 2 * CP), 0);
	KUNIT_EXPECT_EQ(test, pagealloc_chunk_summary(pa, 0),
			pagealloc_sum_pack(0, CP / 2, CP / 2));
	KUNIT_EXPECT_EQ(test, pagealloc_chunk_summary(pa, 1),
			pagealloc_sum_pack(CP, CP, CP));
	KUNIT_EXPECT_EQ(test, pagealloc_chunk_summary(pa, 2),
			pagealloc_sum_pack(CP / 2, CP / 2, 0));
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, 3 * CP, 5 * CP), 0);
	KUNIT_EXPECT_EQ(test, pagealloc_largest_free(pa), 5ULL * CP);
	expect_alloc(test, pa, 2 * CP, CP / 2, 0);
	expect_consistent(test, pa);
}

static void take_marks_and_rejects(struct kunit *test)
{
	struct pagealloc *pa = new_pa(test, 4 * CP, 0, 2 * CP);
	u64 before;

	KUNIT_EXPECT_EQ(test, pagealloc_take(pa, 100, 50), 0);
	KUNIT_EXPECT_EQ(test, pa->scav_pages, 2ULL * CP - 50);
	before = fingerprint(pa);
	KUNIT_EXPECT_EQ(test, pagealloc_take(pa, 149, 2), -EBUSY);
	KUNIT_EXPECT_EQ(test, pagealloc_take(pa, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, pagealloc_take(pa, U64_MAX - 1, 5), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, pagealloc_take(pa, 2 * CP - 1, 2), -ERANGE);
	KUNIT_EXPECT_EQ(test, fingerprint(pa), before);
	expect_alloc(test, pa, 101, 150, 101);
	expect_alloc(test, pa, 100, 0, 100);
	expect_consistent(test, pa);
}

static void dirty_then_alloc(struct kunit *test)
{
	struct pagealloc *pa = new_pa(test, 2 * CP, 0, 2 * CP);
	u64 before = fingerprint(pa);

	KUNIT_EXPECT_EQ(test, pagealloc_dirty(pa, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, pagealloc_dirty(pa, 1, U64_MAX), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, pagealloc_dirty(pa, CP, 2 * CP), -ERANGE);
	KUNIT_EXPECT_EQ(test, fingerprint(pa), before);
	KUNIT_EXPECT_EQ(test, pagealloc_dirty(pa, CP - 3, 6), 0);
	KUNIT_EXPECT_EQ(test, pa->scav_pages, 2ULL * CP - 6);
	expect_alloc(test, pa, CP, 0, CP - 3);
	expect_alloc(test, pa, 4, CP, 1);
	expect_consistent(test, pa);
}

/* Go: TestPageAllocScavenge "ScavMultiple2" and the index's Force tests. */
static void scavenge_highest_first(struct kunit *test)
{
	struct pagealloc *pa = new_pa(test, 8 * CP, 0, 8 * CP);
	const struct pagealloc_chunk *c0, *c1;
	u64 done;

	/* Chunk 0 keeps 0 and 511 dirty, chunk 1 its top two pages. */
	KUNIT_ASSERT_EQ(test, pagealloc_dirty(pa, 0, 1), 0);
	KUNIT_ASSERT_EQ(test, pagealloc_dirty(pa, CP - 1, 1), 0);
	KUNIT_ASSERT_EQ(test, pagealloc_dirty(pa, 2 * CP - 2, 2), 0);
	c0 = pagealloc_chunk(pa, 0);
	c1 = pagealloc_chunk(pa, 1);

	KUNIT_EXPECT_EQ(test, pagealloc_scavenge(pa, 1, &done), 0);
	KUNIT_EXPECT_EQ(test, done, 1ULL);
	KUNIT_EXPECT_EQ(test, c1->scav[7], ~BIT_ULL(62));
	KUNIT_EXPECT_EQ(test, c0->scav[7], ~0ULL >> 1);
	KUNIT_EXPECT_EQ(test, pagealloc_scavenge(pa, 2, &done), 0);
	KUNIT_EXPECT_EQ(test, done, 2ULL);
	KUNIT_EXPECT_EQ(test, c1->scav[7], ~0ULL);
	KUNIT_EXPECT_EQ(test, c0->scav[7], ~0ULL);
	KUNIT_EXPECT_EQ(test, c0->scav[0], ~0ULL << 1);
	KUNIT_EXPECT_EQ(test, pagealloc_scavenge(pa, U64_MAX, &done), 0);
	KUNIT_EXPECT_EQ(test, done, 1ULL);
	KUNIT_EXPECT_EQ(test, pagealloc_scavenge(pa, U64_MAX, &done), 0);
	KUNIT_EXPECT_EQ(test, done, 0ULL);
	KUNIT_EXPECT_EQ(test, pa->scav_pages, 8ULL * CP);

	/* Allocated pages are never scavenged; freed ones become dirty. */
	expect_alloc(test, pa, 3 * CP, 0, 3 * CP);
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, CP + 10, 20), 0);
	KUNIT_EXPECT_EQ(test, pagealloc_scavenge(pa, 15, &done), 0);
	KUNIT_EXPECT_EQ(test, done, 15ULL);
	KUNIT_EXPECT_EQ(test, c1->scav[0], (BIT_ULL(15) - 1) << 15);
	KUNIT_EXPECT_EQ(test, pagealloc_scavenge(pa, 0, &done), -EINVAL);
	expect_consistent(test, pa);
}

/* The candidate index finds lone candidates in a big, sparse space. */
static void scavenge_index_sparse(struct kunit *test)
{
	u64 chunks = 200000, done, far = 190001, near = 3;
	struct pagealloc *pa = new_pa(test, chunks * CP, near * CP, CP);
	const struct pagealloc_chunk *c;

	KUNIT_ASSERT_EQ(test, pagealloc_grow(pa, far * CP, 2 * CP), 0);
	KUNIT_ASSERT_EQ(test, pagealloc_dirty(pa, near * CP + 7, 2), 0);
	KUNIT_ASSERT_EQ(test, pagealloc_dirty(pa, far * CP + 3, CP), 0);
	KUNIT_EXPECT_EQ(test, pagealloc_scavenge(pa, CP - 4, &done), 0);
	KUNIT_EXPECT_EQ(test, done, (u64)CP - 4);
	/* Chunk far + 1's three pages first, then chunk far from its top. */
	c = pagealloc_chunk(pa, far);
	KUNIT_EXPECT_EQ(test, c->scav[0], ~0x78ULL);
	KUNIT_EXPECT_EQ(test, pagealloc_scavenge(pa, 4, &done), 0);
	KUNIT_EXPECT_EQ(test, done, 4ULL);
	KUNIT_EXPECT_EQ(test, c->scav[0], ~0ULL);
	KUNIT_EXPECT_EQ(test, pagealloc_scavenge(pa, 10, &done), 0);
	KUNIT_EXPECT_EQ(test, done, 2ULL);
	KUNIT_EXPECT_EQ(test, pagealloc_scavenge(pa, 10, &done), 0);
	KUNIT_EXPECT_EQ(test, done, 0ULL);
	/* The index is empty again, all the way up. */
	KUNIT_EXPECT_EQ(test, pa->cand[pa->cand_levels - 1][0], 0ULL);
	expect_consistent(test, pa);
}

/* The two-step scavenge a background worker uses: lowest pages first. */
static void scavenge_find_range(struct kunit *test)
{
	struct pagealloc *pa = new_pa(test, 2 * CP, 0, 2 * CP);
	u64 base = 0, n, before, done = 0;

	KUNIT_ASSERT_EQ(test, pagealloc_dirty(pa, 0, 2 * CP), 0);
	KUNIT_EXPECT_EQ(test, pagealloc_scavenge_find(pa, 0, &base), 0ULL);
	n = pagealloc_scavenge_find(pa, 100, &base);
	KUNIT_EXPECT_EQ(test, n, 100ULL);
	KUNIT_EXPECT_EQ(test, base, 0ULL);
	/* Found pages stay free: first fit still gets them. */
	KUNIT_EXPECT_EQ(test, pa->free_pages, 2ULL * CP);
	expect_alloc(test, pa, 10, 0, 0);
	/* Only the free ones are marked, once. */
	KUNIT_EXPECT_EQ(test, pagealloc_scavenge_range(pa, 0, n, &done), 0);
	KUNIT_EXPECT_EQ(test, done, n - 10);
	KUNIT_EXPECT_EQ(test, pagealloc_scavenge_range(pa, 0, n, &done), 0);
	KUNIT_EXPECT_EQ(test, done, 0ULL);
	KUNIT_EXPECT_EQ(test, pa->scav_pages, n - 10);
	expect_consistent(test, pa);
	/* Bad ranges change nothing. */
	before = fingerprint(pa);
	KUNIT_EXPECT_EQ(test, pagealloc_scavenge_range(pa, 5, 0, &done),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pagealloc_scavenge_range(pa, 2 * CP - 1, 2,
						       &done), -ERANGE);
	KUNIT_EXPECT_EQ(test, pagealloc_scavenge_range(pa, U64_MAX, 2,
						       &done), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, fingerprint(pa), before);
	/* Whole chunk runs at most: the rest of chunk 0, then chunk 1. */
	KUNIT_EXPECT_EQ(test, pagealloc_scavenge_find(pa, U64_MAX, &base),
			(u64)CP - 100);
	KUNIT_EXPECT_EQ(test, base, 100ULL);
	KUNIT_EXPECT_EQ(test, pagealloc_scavenge_range(pa, base, CP - 100,
						       &done), 0);
	KUNIT_EXPECT_EQ(test, pagealloc_scavenge_find(pa, U64_MAX, &base),
			(u64)CP);
	KUNIT_EXPECT_EQ(test, base, (u64)CP);
	KUNIT_EXPECT_EQ(test, pagealloc_scavenge_range(pa, base, CP, &done),
			0);
	KUNIT_EXPECT_EQ(test, pagealloc_scavenge_find(pa, 1, &base), 0ULL);
	KUNIT_EXPECT_EQ(test, pa->scav_pages, 2ULL * CP - 10);
	/* The index is empty again, all the way up. */
	KUNIT_EXPECT_EQ(test, pa->cand[pa->cand_levels - 1][0], 0ULL);
	expect_consistent(test, pa);
}

/* alloc_dirty names exactly the pages that were not scavenged. */
static void alloc_reports_dirty_pages(struct kunit *test)
{
	struct pagealloc *pa = new_pa(test, 8 * CP, 0, 8 * CP);
	u64 *dirty = kunit_kcalloc(test, 8 * CP / 64, sizeof(u64), GFP_KERNEL);
	u64 *before = kunit_kcalloc(test, 8 * CP / 64, sizeof(u64), GFP_KERNEL);
	unsigned int k;

	KUNIT_ASSERT_NOT_NULL(test, dirty);
	KUNIT_ASSERT_NOT_NULL(test, before);
	for (k = 0; k < 300; k++) {
		u64 n = 1 + rnd(test) % (k % 3 ? 70 : 1200), base, scav, p, c;
		u64 count = 0;
		int err;

		if (k % 4 == 0)
			pagealloc_dirty(pa, rnd(test) % (7 * CP), 1 + rnd(test) % 900);
		for (c = 0; c < 8; c++)
			memcpy(before + c * PAGEALLOC_CHUNK_WORDS,
			       pagealloc_chunk(pa, c)->scav,
			       sizeof(pagealloc_chunk(pa, c)->scav));
		err = pagealloc_alloc_dirty(pa, n, &base, &scav, dirty);
		if (err) {
			KUNIT_EXPECT_EQ(test, err, -ENOMEM);
			/* Make room: free a random stretch of what is taken. */
			p = rnd(test) % (8 * CP - 600);
			for (c = p; c < p + 600; c++)
				pagealloc_free(pa, c, 1);
			continue;
		}
		for (p = 0; p < n; p++) {
			bool was_scav = before[(base + p) / 64] &
					BIT_ULL((base + p) % 64);
			bool bit = dirty[p / 64] & BIT_ULL(p % 64);

			KUNIT_EXPECT_EQ_MSG(test, bit, !was_scav,
					    "alloc %llu at %llu page %llu", n,
					    base, p);
			count += !was_scav;
		}
		/* Nothing beyond the allocation is marked. */
		for (p = n; p < round_up(n, 64); p++)
			KUNIT_EXPECT_FALSE(test, dirty[p / 64] & BIT_ULL(p % 64));
		KUNIT_EXPECT_EQ(test, count, n - scav);
		if (rnd(test) % 2)
			pagealloc_free(pa, base, n);
	}
	expect_consistent(test, pa);
}

static void expect_aligned(struct kunit *test, struct pagealloc *pa,
			   u64 npages, u64 align, u64 want_base)
{
	u64 base = 0, scav = 0, free = pa->free_pages;

	KUNIT_ASSERT_EQ_MSG(test, pagealloc_alloc_aligned(pa, npages, align,
							  &base, &scav, NULL),
			    0, "alloc %llu align %llu origin %llu", npages,
			    align, pa->origin);
	KUNIT_EXPECT_EQ_MSG(test, base, want_base,
			    "alloc %llu align %llu origin %llu", npages, align,
			    pa->origin);
	KUNIT_EXPECT_EQ(test, pa->free_pages, free - npages);
	if (align > 1)
		KUNIT_EXPECT_EQ(test, (pa->origin + base) % align, 0ULL);
}

/* An aligned call that fails, and changes nothing. */
static void expect_aligned_err(struct kunit *test, struct pagealloc *pa,
			       u64 npages, u64 align, int err)
{
	u64 before, base = 7, scav = 7, dirty = 7;

	pagealloc_flush(pa);
	before = fingerprint(pa);
	KUNIT_EXPECT_EQ_MSG(test, pagealloc_alloc_aligned(pa, npages, align,
							  &base, &scav, &dirty),
			    err, "alloc %llu align %llu origin %llu", npages,
			    align, pa->origin);
	KUNIT_EXPECT_EQ(test, base, 7ULL);
	KUNIT_EXPECT_EQ(test, scav, 7ULL);
	KUNIT_EXPECT_EQ(test, dirty, 7ULL);
	pagealloc_flush(pa);
	KUNIT_EXPECT_EQ(test, fingerprint(pa), before);
}

/* Every page allocated but the runs given. */
static struct pagealloc *pa_with_runs(struct kunit *test, u64 capacity,
				      const u64 (*runs)[2], unsigned int n)
{
	struct pagealloc *pa = new_pa(test, capacity, 0, capacity);
	unsigned int k;

	KUNIT_ASSERT_EQ(test, pagealloc_take(pa, 0, capacity), 0);
	for (k = 0; k < n; k++)
		KUNIT_ASSERT_EQ(test, pagealloc_free(pa, runs[k][0], runs[k][1]),
				0);
	return pa;
}

/* Bad arguments are rejected, no fit is -ENOMEM: both change nothing. */
static void aligned_rejects_bad_calls(struct kunit *test)
{
	static const u64 runs[][2] = { { 5, 35 }, { 700, 20 } };
	struct pagealloc *pa = pa_with_runs(test, 4 * CP, runs, 2);
	static const u64 bad[] = {
		3, 5, 6, 12, 513, 3ULL << 20, PAGEALLOC_MAX_PAGES << 1,
		PAGEALLOC_MAX_PAGES + 1, U64_MAX, BIT_ULL(63),
	};
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(bad); k++)
		expect_aligned_err(test, pa, 1, bad[k], -EINVAL);
	expect_aligned_err(test, pa, 0, 16, -EINVAL);
	expect_aligned_err(test, pa, 0, 0, -EINVAL);
	expect_aligned_err(test, pa, 0, 3, -EINVAL);
	/* 35 pages fit at 5, but none from a multiple of 8. */
	expect_aligned_err(test, pa, 35, 8, -ENOMEM);
	expect_aligned_err(test, pa, 30, 64, -ENOMEM);
	expect_aligned_err(test, pa, 1, 1024, -ENOMEM);
	expect_aligned_err(test, pa, 56, 2, -ENOMEM);
	expect_aligned_err(test, pa, U64_MAX, 2, -ENOMEM);
	expect_aligned_err(test, pa, 1, PAGEALLOC_MAX_PAGES, -ENOMEM);
	pagealloc_set_origin(pa, 3);
	expect_aligned_err(test, pa, 21, 64, -ENOMEM);
	expect_consistent(test, pa);
	/* The largest alignment is valid: page 0 is a multiple of it. */
	pagealloc_set_origin(pa, 0);
	KUNIT_ASSERT_EQ(test, pagealloc_free(pa, 0, 1), 0);
	expect_aligned(test, pa, 1, PAGEALLOC_MAX_PAGES, 0);
	expect_consistent(test, pa);
}

/* 0 and 1 mean no alignment: exactly pagealloc_alloc_dirty(). */
static void aligned_none_is_alloc(struct kunit *test)
{
	static const u64 runs[][2] = { { 5, 3 }, { 77, 100 }, { CP + 1, 900 } };
	struct pagealloc *pa = pa_with_runs(test, 4 * CP, runs, 3);

	pagealloc_set_origin(pa, 1);
	expect_aligned(test, pa, 2, 0, 5);
	expect_aligned(test, pa, 2, 1, 77);
	expect_aligned(test, pa, 1, 1, 7);
	expect_aligned(test, pa, 500, 0, CP + 1);
	expect_aligned(test, pa, 98, 0, 79);
	expect_consistent(test, pa);
}

/*
 * Exact first fit: an earlier run that would take the pages unaligned, or
 * aligned to less, is passed over for the first that fits aligned.
 */
static void aligned_exact_first_fit(struct kunit *test)
{
	static const u64 runs[][2] = {
		{ 5, 40 }, { 100, 70 }, { 200, 120 },
		{ CP - 20, 60 }, { 3 * CP + 1, 3 * CP },
	};
	struct pagealloc *pa = pa_with_runs(test, 8 * CP, runs,
					    ARRAY_SIZE(runs));

	/* [5, 45): 30 fit at 5 and at 8 (align 8), not from 16. */
	expect_aligned(test, pa, 30, 16, 112);
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, 112, 30), 0);
	expect_aligned(test, pa, 30, 8, 8);
	/* [100, 170) holds 64 pages, not from 128; [200, 320) does. */
	expect_aligned(test, pa, 64, 64, 256);
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, 256, 64), 0);
	expect_aligned(test, pa, 64, 32, 224);
	/* Across the boundary of chunks 0 and 1. */
	expect_aligned(test, pa, 40, 512, CP);
	/* Longer than a chunk, aligned to more than a chunk. */
	expect_aligned(test, pa, CP + 3, 2 * CP, 4 * CP);
	/* The pages below the hint stay reachable. */
	expect_aligned(test, pa, 1, 2, 6);
	expect_aligned(test, pa, 1, 1, 5);
	expect_aligned(test, pa, 2, 2, 38);
	expect_consistent(test, pa);
}

/* Runs that end at, start at, or cross chunk and higher boundaries. */
static void aligned_at_boundaries(struct kunit *test)
{
	static const u64 bounds[] = {
		CP, 8 * CP, 64 * CP, 512 * CP, 4096 * CP,
	};
	unsigned int b;

	for (b = 0; b < ARRAY_SIZE(bounds); b++) {
		u64 bound = bounds[b];
		struct pagealloc *pa = new_pa(test, 2 * 4096 * CP, bound - CP,
					      CP);

		KUNIT_ASSERT_EQ(test, pagealloc_grow(pa, bound, CP), 0);
		KUNIT_ASSERT_EQ(test, pagealloc_take(pa, bound - CP, CP - 10),
				0);
		KUNIT_ASSERT_EQ(test, pagealloc_take(pa, bound + 100, CP - 100),
				0);
		/* The free run is [bound - 10, bound + 100). */
		expect_aligned_err(test, pa, 111, 2, -ENOMEM);
		expect_aligned_err(test, pa, 101, 16, -ENOMEM);
		expect_aligned(test, pa, 100, bound, bound);
		KUNIT_EXPECT_EQ(test, pagealloc_free(pa, bound, 100), 0);
		expect_aligned(test, pa, 100, 2, bound - 10);
		KUNIT_EXPECT_EQ(test, pagealloc_free(pa, bound - 10, 100), 0);
		expect_aligned(test, pa, 8, 8, bound - 8);
		KUNIT_EXPECT_EQ(test, pagealloc_free(pa, bound - 8, 8), 0);
		/* A fit that ends at the boundary: origin 3 aligns bound - 3. */
		pagealloc_set_origin(pa, 3);
		expect_aligned(test, pa, 3, bound, bound - 3);
		KUNIT_EXPECT_EQ(test, pagealloc_free(pa, bound - 3, 3), 0);
		expect_aligned_err(test, pa, 1, 2 * bound, -ENOMEM);
		/* Origin 511 aligns the odd pages, and bound + 1 to 512. */
		pagealloc_set_origin(pa, 511);
		expect_aligned(test, pa, 60, 512, bound + 1);
		expect_aligned_err(test, pa, 30, 512, -ENOMEM);
		expect_aligned(test, pa, 30, 2, bound + 61);
		expect_aligned(test, pa, 10, 2, bound - 9);
		expect_consistent(test, pa);
		pagealloc_destroy(pa);
	}
}

/* Alignments of chunks, of root entries and beyond, with origins. */
static void aligned_large(struct kunit *test)
{
	u64 root = PAGEALLOC_SUM_MAX;
	struct pagealloc *pa = new_pa(test, 3 * root, 0, 3 * root);
	u64 o = BIT_ULL(30) + 5;

	KUNIT_ASSERT_EQ(test, pagealloc_take(pa, 0, 1), 0);
	expect_aligned(test, pa, 10, 4 * CP, 4 * CP);
	KUNIT_ASSERT_EQ(test, pagealloc_take(pa, 8 * CP + 7, 1), 0);
	/* 8 chunks up, page 7 is taken: 16 chunks up fits. */
	expect_aligned(test, pa, 8, 8 * CP, 16 * CP);
	/* 6 chunks up holds page 8 CP + 7; 10 chunks up is free. */
	expect_aligned(test, pa, 3 * CP, 2 * CP, 10 * CP);
	/* A root entry and more; the pool has three. */
	expect_aligned(test, pa, 1, root, root);
	expect_aligned(test, pa, root - 1, root, 2 * root);
	expect_aligned_err(test, pa, 1, 2 * root, -ENOMEM);
	expect_aligned_err(test, pa, 1, 4 * root, -ENOMEM);
	pagealloc_set_origin(pa, o);
	/* origin + p = 2^30 + 5 + p: a multiple of 2^22 at p = 2^22 - 5. */
	expect_aligned(test, pa, 1, 2 * root, 2 * root - 5);
	/* ... and of 2^21 at p = 2^21 - 5, just below a taken page. */
	expect_aligned(test, pa, 1, root, root - 5);
	expect_aligned_err(test, pa, 6, root, -ENOMEM);
	expect_aligned(test, pa, 2, 4 * CP, 4 * CP - 5);
	pagealloc_set_origin(pa, 0);
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, root, 1), 0);
	expect_aligned(test, pa, 1, root, root);
	expect_consistent(test, pa);
}

/* An origin moves every alignment, before growth or after it. */
static void aligned_origin(struct kunit *test)
{
	static const u64 origins[] = { 3, 511, BIT_ULL(30) + 5, U64_MAX };
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(origins); k++) {
		struct pagealloc *pa = new_pa(test, 4 * CP, 0, 0);
		u64 o = origins[k], w1, w2, w3;

		KUNIT_EXPECT_EQ(test, pa->origin, 0ULL);
		pagealloc_set_origin(pa, o);
		KUNIT_ASSERT_EQ(test, pagealloc_grow(pa, 0, 4 * CP), 0);
		KUNIT_EXPECT_EQ(test, pa->origin, o);
		w1 = -o & 63;
		expect_aligned(test, pa, 5, 64, w1);
		w2 = -o & (2 * CP - 1);
		if (w2 < w1 + 5)
			w2 += 2 * CP;
		expect_aligned(test, pa, CP, 2 * CP, w2);
		/* The pages below stay free for what fits there. */
		w3 = w1 >= 5 ? 0 : w1 + 5;
		expect_aligned(test, pa, 5, 1, w3);
		KUNIT_EXPECT_EQ(test, pagealloc_free(pa, w1, 5), 0);
		KUNIT_EXPECT_EQ(test, pagealloc_free(pa, w2, CP), 0);
		KUNIT_EXPECT_EQ(test, pagealloc_free(pa, w3, 5), 0);
		pagealloc_set_origin(pa, o + 1);
		expect_aligned(test, pa, 1, 8, -(o + 1) & 7);
		KUNIT_EXPECT_EQ(test, pagealloc_free(pa, -(o + 1) & 7, 1), 0);
		expect_aligned(test, pa, 3 * CP, CP, -(o + 1) & (CP - 1));
		expect_consistent(test, pa);
		pagealloc_destroy(pa);
	}
}

/* An aligned allocation never hides the free pages below it. */
static void aligned_keeps_hint(struct kunit *test)
{
	struct pagealloc *pa = new_pa(test, 4 * CP, 0, 4 * CP);
	u64 i;

	expect_aligned(test, pa, 10, 256, 0);
	expect_aligned(test, pa, 10, 256, 256);
	expect_aligned(test, pa, 1, 1024, 1024);
	for (i = 10; i < 256; i++)
		expect_alloc(test, pa, 1, i, 1);
	expect_alloc(test, pa, 1, 266, 1);
	expect_consistent(test, pa);
	KUNIT_EXPECT_EQ(test, pagealloc_free(pa, 2, 8), 0);
	expect_aligned(test, pa, 4, 4, 4);
	expect_alloc(test, pa, 1, 2, 0);
	expect_alloc(test, pa, 1, 3, 0);
	expect_alloc(test, pa, 1, 8, 0);
	expect_alloc(test, pa, 1, 9, 0);
	expect_alloc(test, pa, 1, 267, 1);
	expect_consistent(test, pa);
}

/* Scavenged and dirty pages are reported as by pagealloc_alloc_dirty(). */
static void aligned_reports_dirty(struct kunit *test)
{
	struct pagealloc *pa = new_pa(test, 2 * CP, 0, 2 * CP);
	u64 base, scav, dirty[2] = { 0, ~0ULL };

	KUNIT_ASSERT_EQ(test, pagealloc_dirty(pa, 20, 20), 0);
	KUNIT_ASSERT_EQ(test, pagealloc_take(pa, 0, 1), 0);
	KUNIT_ASSERT_EQ(test, pagealloc_alloc_aligned(pa, 70, 16, &base, &scav,
						      dirty), 0);
	KUNIT_EXPECT_EQ(test, base, 16ULL);
	KUNIT_EXPECT_EQ(test, scav, 50ULL);
	KUNIT_EXPECT_EQ(test, dirty[0], (BIT_ULL(24) - 1) & ~(BIT_ULL(4) - 1));
	KUNIT_EXPECT_EQ(test, dirty[1] & (BIT_ULL(6) - 1), 0ULL);
	KUNIT_EXPECT_EQ(test, pa->scav_pages, 2 * CP - 1 - 20 - 50);
	expect_consistent(test, pa);
}

/* The metadata does not depend on where the pool lies. */
static void aligned_origin_metadata(struct kunit *test)
{
	struct pagealloc *pa = new_pa(test, 1ULL << 14, 0, 1ULL << 14);
	u64 bytes = pagealloc_metadata_bytes(pa);

	/* 64 MiB at 1 TiB: page frame 2^28. */
	pagealloc_set_origin(pa, 1ULL << 28);
	KUNIT_EXPECT_EQ(test, pagealloc_metadata_bytes(pa), bytes);
	/* Under 0.01%: the last block of chunk bitmaps is cut to size. */
	KUNIT_EXPECT_LT(test, bytes * 10000, (1ULL << 14) * 4096);
	expect_aligned(test, pa, 512, 512, 0);
	pagealloc_set_origin(pa, (1ULL << 28) + 1);
	expect_aligned(test, pa, 512, 512, 1023);
	expect_consistent(test, pa);
}

/* The checker notices each kind of damage. */
static void check_finds_corruption(struct kunit *test)
{
	struct pagealloc *pa = new_pa(test, 16 * CP, 0, 16 * CP);
	struct pagealloc_chunk *c;
	char msg[200];
	u64 saved;

	expect_alloc(test, pa, 3000, 0, 3000);
	expect_consistent(test, pa);
	pagealloc_flush(pa);
	c = (struct pagealloc_chunk *)pagealloc_chunk(pa, 3);

	saved = pa->level[PAGEALLOC_LEAF][5];
	pa->level[PAGEALLOC_LEAF][5] = 0;
	KUNIT_EXPECT_EQ(test, pagealloc_check(pa, msg, sizeof(msg)), -EUCLEAN);
	KUNIT_EXPECT_TRUE(test, !!strstr(msg, "level 4 index 5"));
	pa->level[PAGEALLOC_LEAF][5] = saved;

	saved = pa->level[2][0];
	pa->level[2][0] ^= 1;
	KUNIT_EXPECT_EQ(test, pagealloc_check(pa, msg, sizeof(msg)), -EUCLEAN);
	KUNIT_EXPECT_TRUE(test, !!strstr(msg, "level 2 index 0"));
	pa->level[2][0] = saved;

	c->scav[0] |= 1;
	KUNIT_EXPECT_EQ(test, pagealloc_check(pa, msg, sizeof(msg)), -EUCLEAN);
	KUNIT_EXPECT_TRUE(test, !!strstr(msg, "marked scavenged"));
	c->scav[0] &= ~1ULL;

	pa->free_pages++;
	KUNIT_EXPECT_EQ(test, pagealloc_check(pa, msg, sizeof(msg)), -EUCLEAN);
	KUNIT_EXPECT_TRUE(test, !!strstr(msg, "counters"));
	pa->free_pages--;

	saved = pa->search;
	pa->search = 4000;
	KUNIT_EXPECT_EQ(test, pagealloc_check(pa, msg, sizeof(msg)), -EUCLEAN);
	KUNIT_EXPECT_TRUE(test, !!strstr(msg, "search hint"));
	pa->search = saved;

	c = (struct pagealloc_chunk *)pagealloc_chunk(pa, 9);
	saved = c->nmax;
	c->nmax = 2;
	KUNIT_EXPECT_EQ(test, pagealloc_check(pa, msg, sizeof(msg)), -EUCLEAN);
	KUNIT_EXPECT_TRUE(test, !!strstr(msg, "2 runs of 512 pages counted"));
	c->nmax = saved;

	c->scav[2] = 0;
	pa->scav_pages -= 64;
	KUNIT_EXPECT_EQ(test, pagealloc_check(pa, msg, sizeof(msg)), -EUCLEAN);
	KUNIT_EXPECT_TRUE(test, !!strstr(msg, "not a candidate"));
	c->scav[2] = ~0ULL;
	pa->scav_pages += 64;
	expect_consistent(test, pa);
}

/* Check part by part: each part sees the damage in its own chunks. */
static int check_in_parts(struct pagealloc *pa, u64 step, char *msg,
			  size_t len)
{
	struct pagealloc_tally t = {};
	u64 sc;
	int err;

	for (sc = 0; sc < pa->nchunks; sc += step) {
		err = pagealloc_check_part(pa, sc, min(sc + step, pa->nchunks),
					   &t, msg, len);
		if (err)
			return err;
	}
	return pagealloc_check_totals(pa, &t, msg, len);
}

static void check_by_parts(struct kunit *test)
{
	struct pagealloc *pa = new_pa(test, 100 * CP, 0, 90 * CP);
	struct pagealloc_tally t = {};
	unsigned int steps[] = { 1, 3, 8, 64, 100 }, k;
	char msg[200];
	u64 base, scav, saved;

	KUNIT_ASSERT_EQ(test, pagealloc_grow(pa, 95 * CP, CP), 0);
	KUNIT_ASSERT_EQ(test, pagealloc_alloc(pa, 5000, &base, &scav), 0);
	KUNIT_ASSERT_EQ(test, pagealloc_free(pa, 700, 900), 0);
	KUNIT_ASSERT_EQ(test, pagealloc_dirty(pa, 30 * CP + 5, 3 * CP), 0);
	for (k = 0; k < ARRAY_SIZE(steps); k++) {
		KUNIT_EXPECT_EQ_MSG(test, check_in_parts(pa, steps[k], msg,
							 sizeof(msg)), 0,
				    "step %u: %s", steps[k], msg);
		KUNIT_EXPECT_STREQ(test, msg, "ok");
	}
	/* Damage in chunk 40 and above it, in the part that holds it. */
	pagealloc_flush(pa);
	saved = pa->level[PAGEALLOC_LEAF][40];
	pa->level[PAGEALLOC_LEAF][40] = 0;
	KUNIT_EXPECT_EQ(test, pagealloc_check_part(pa, 0, 40, &t, msg,
						   sizeof(msg)), 0);
	KUNIT_EXPECT_EQ(test, pagealloc_check_part(pa, 40, 41, &t, msg,
						   sizeof(msg)), -EUCLEAN);
	KUNIT_EXPECT_TRUE(test, !!strstr(msg, "level 4 index 40"));
	pa->level[PAGEALLOC_LEAF][40] = saved;
	saved = pa->level[3][5];
	pa->level[3][5] ^= 1;
	KUNIT_EXPECT_EQ(test, check_in_parts(pa, 7, msg, sizeof(msg)),
			-EUCLEAN);
	KUNIT_EXPECT_TRUE(test, !!strstr(msg, "level 3 index 5"));
	pa->level[3][5] = saved;
	/* Counts that miss a part do not add up. */
	memset(&t, 0, sizeof(t));
	KUNIT_EXPECT_EQ(test, pagealloc_check_part(pa, 1, 100, &t, msg,
						   sizeof(msg)), 0);
	KUNIT_EXPECT_EQ(test, pagealloc_check_totals(pa, &t, msg, sizeof(msg)),
			-EUCLEAN);
	KUNIT_EXPECT_TRUE(test, !!strstr(msg, "counters"));
	/* Parts that are not parts. */
	KUNIT_EXPECT_EQ(test, pagealloc_check_part(pa, 5, 5, &t, msg,
						   sizeof(msg)), -EINVAL);
	KUNIT_EXPECT_EQ(test, pagealloc_check_part(pa, 0, 101, &t, msg,
						   sizeof(msg)), -EINVAL);
	KUNIT_EXPECT_EQ(test, pagealloc_check_part(pa, U64_MAX, 1, &t, msg,
						   sizeof(msg)), -EINVAL);
	expect_consistent(test, pa);
}

/* Metadata stays under 0.01% of the managed memory (4 KiB pages). */
static void metadata_is_small(struct kunit *test)
{
	u64 pages = 1ULL << 20;
	struct pagealloc *pa = new_pa(test, pages, 0, pages);
	u64 bytes = pagealloc_metadata_bytes(pa);

	KUNIT_EXPECT_LT(test, bytes * 10000, pages * 4096);
	KUNIT_EXPECT_GT(test, bytes, pages / 8 * 2);
}

static void run_difftest(struct kunit *test, u64 seed, u64 chunks, u64 ops)
{
	struct pagealloc_difftest *dt;

	dt = kunit_kzalloc(test, sizeof(*dt), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dt);
	dt->seed = seed;
	dt->capacity = chunks * CP;
	dt->ops = ops;
	KUNIT_EXPECT_EQ_MSG(test, pagealloc_difftest_run(dt), 0,
			    "seed %llu chunks %llu: %s", seed, chunks, dt->msg);
	KUNIT_EXPECT_GT(test, dt->rejected, 0ULL);
	KUNIT_EXPECT_GT(test, dt->calls[DT_SCAVENGE], 0ULL);
}

static void differential_small(struct kunit *test)
{
	run_difftest(test, 101, 1, 4000);
	run_difftest(test, 102, 3, 4000);
	run_difftest(test, 103, 9, 4000);
}

static void differential_levels(struct kunit *test)
{
	run_difftest(test, 104, 65, 3000);
	run_difftest(test, 105, 520, 1000);
}

/* The runs of set bits, the way allocations find their dirty pages. */
static void next_run_matches_bits(struct kunit *test)
{
	u64 bits[9], rng = 42;
	unsigned int k;

	for (k = 0; k < 2000; k++) {
		u64 nbits = 1 + splitmix64_below(&rng, 9 * 64), pos = 0, len;
		u64 p = 0, runs = 0;
		unsigned int w;

		for (w = 0; w < ARRAY_SIZE(bits); w++) {
			u64 x = splitmix64_next(&rng);

			bits[w] = k % 4 == 0 ? x : k % 4 == 1 ? x & (x >> 1) :
				  k % 4 == 2 ? ~0ULL : 0;
			if (k % 4 != 2 && splitmix64_below(&rng, 4) == 0)
				bits[w] = ~bits[w];
		}
		while (pagealloc_next_run(bits, nbits, &pos, &len)) {
			/* Nothing set before the run, all set inside it. */
			for (; p < pos; p++)
				KUNIT_ASSERT_FALSE(test, bits[p / 64] &
						   BIT_ULL(p % 64));
			KUNIT_ASSERT_GT(test, len, 0ULL);
			KUNIT_ASSERT_LE(test, pos + len, nbits);
			for (; p < pos + len; p++)
				KUNIT_ASSERT_TRUE(test, bits[p / 64] &
						  BIT_ULL(p % 64));
			/* And the run ends at a clear bit or the end. */
			if (p < nbits)
				KUNIT_ASSERT_FALSE(test, bits[p / 64] &
						   BIT_ULL(p % 64));
			pos += len;
			runs++;
		}
		for (; p < nbits; p++)
			KUNIT_ASSERT_FALSE(test, bits[p / 64] &
					   BIT_ULL(p % 64));
		if (k % 4 == 2)
			KUNIT_EXPECT_LE(test, runs, 1ULL);
	}
}

static struct kunit_case pagealloc_cases[] = {
	KUNIT_CASE(sum_pack_roundtrip),
	KUNIT_CASE(find_bit_run_table),
	KUNIT_CASE(find_bit_run_random),
	KUNIT_CASE(summarize_table),
	KUNIT_CASE(summarize_random),
	KUNIT_CASE(merge_random),
	KUNIT_CASE(merge_all_free_root),
	KUNIT_CASE(chunk_find_table),
	KUNIT_CASE(chunk_find_random),
	KUNIT_CASE(scav_candidate_table),
	KUNIT_CASE(scav_candidate_random),
	KUNIT_CASE(scav_lowest_random),
	KUNIT_CASE(init_rejects_bad_capacity),
	KUNIT_CASE(grow_rejects_bad_calls),
	KUNIT_CASE(grow_in_any_order),
	KUNIT_CASE(grow_sparse_never_spans_gap),
	KUNIT_CASE(alloc_rejects_zero),
	KUNIT_CASE(alloc_first_fit),
	KUNIT_CASE(alloc_across_every_level),
	KUNIT_CASE(alloc_spans_root_entries),
	KUNIT_CASE(alloc_exhaust),
	KUNIT_CASE(alloc_counts_scavenged),
	KUNIT_CASE(free_rejects_bad_calls),
	KUNIT_CASE(free_partial_and_reuse),
	KUNIT_CASE(free_across_chunks),
	KUNIT_CASE(take_marks_and_rejects),
	KUNIT_CASE(dirty_then_alloc),
	KUNIT_CASE(scavenge_highest_first),
	KUNIT_CASE(scavenge_index_sparse),
	KUNIT_CASE(scavenge_find_range),
	KUNIT_CASE(alloc_reports_dirty_pages),
	KUNIT_CASE(aligned_rejects_bad_calls),
	KUNIT_CASE(aligned_none_is_alloc),
	KUNIT_CASE(aligned_exact_first_fit),
	KUNIT_CASE(aligned_at_boundaries),
	KUNIT_CASE(aligned_large),
	KUNIT_CASE(aligned_origin),
	KUNIT_CASE(aligned_keeps_hint),
	KUNIT_CASE(aligned_reports_dirty),
	KUNIT_CASE(aligned_origin_metadata),
	KUNIT_CASE(next_run_matches_bits),
	KUNIT_CASE(check_finds_corruption),
	KUNIT_CASE(check_by_parts),
	KUNIT_CASE(metadata_is_small),
	KUNIT_CASE(differential_small),
	KUNIT_CASE(differential_levels),
	{}
};

static struct kunit_suite pagealloc_suite = {
	.name = "pagealloc",
	.init = pa_test_init,
	.exit = pa_test_exit,
	.test_cases = pagealloc_cases,
};

kunit_test_suite(pagealloc_suite);

MODULE_DESCRIPTION("KUnit tests for the pagepool page allocator core");
MODULE_LICENSE("GPL");
