// SPDX-License-Identifier: GPL-2.0
/*
 * gen-workload: write one of the pagepool benchmark traces to stdout (or to
 * the file given with -o), in the language of tools/pagealloc-replay.
 *
 * Every trace is a pure function of the workload name and the options: the
 * random numbers come from splitmix64 (tools/lib/rand.h) with a fixed seed
 * per workload, and the placement of every allocation is decided by running
 * pagealloc itself (linked in), so a later "free P N" names a live
 * allocation. Address-ordered first fit is deterministic, so any exact
 * first-fit allocator (pagealloc, the Go seed, the gen_pool baseline)
 * returns the same addresses.
 *
 * Workloads (defaults; -p and -n scale them down for quick checks):
 *
 *   fill     4 GiB pool (2^20 pages).
 *            setup:    grow 0 1048576
 *            alloc1:   "alloc 1" 2^20 times (the pool ends up full)
 *            free1:    "free P 1" for every page in address order
 *
 *   churn75  1 GiB pool (2^18 pages), seed 0x75.
 *            setup:    grow
 *            fill:     allocate until 75% of the pool is allocated
 *            churn:    10^6 operations; each one frees a uniformly chosen
 *                      live allocation while at least 75% of the pages are
 *                      allocated, else allocates. Sizes: 60% 1 page,
 *                      25% 2-8, 12% 9-64, 3% 65-512 (uniform in each band).
 *
 *   churn60  4 GiB pool (2^20 pages), seed 0x60; as churn75 at 60% with
 *            3 * 10^5 churn operations and sizes log-uniform in 1..4096
 *            (P(s) proportional to 1/s, exact integer weights).
 *
 *   holes    16 GiB pool (2^22 pages).
 *            setup:    grow, then "take P 1" for every odd page below the
 *                      last 64: single free pages everywhere and one free
 *                      run of exactly 64 pages at the top
 *            search64: 20000 x ("alloc 64", "free P 64")
 *            setup:    (pools of 8 chunks or more) "free P 1" of odd pages
 *                      to open two decoy runs of 69 pages at pool/3 and
 *                      2 pool/3 (rounded down to a chunk, plus 2): long
 *                      enough for 64 pages but with no page that is a
 *                      multiple of 16 where 64 fit, and a run of 617
 *                      pages from R - 40, R = pool - 1536 (a multiple of
 *                      512), below the top run
 *            search64a: 20000 x ("alloc 64 A", "free P 64") with A a
 *                      power of two from 16 to 512 (uniform): an aligned
 *                      search that skips the single-page holes and the
 *                      decoys to R - 32 (A <= 32) or R
 *
 * Phases named "setup" and "fill" are preparation; the bench script shows
 * them but checks no target on them. The trace ends with a comment giving
 * the counts of allocations, failed allocations and frees.
 */
#include <getopt.h>
#include "pagealloc.h"
#include "../lib/rand.h"

#define GIB_PAGES	BIT_ULL(18)

enum workload { W_FILL, W_CHURN75, W_CHURN60, W_HOLES };

static const char * const workload_names[] = {
	[W_FILL] = "fill",
	[W_CHURN75] = "churn75",
	[W_CHURN60] = "churn60",
	[W_HOLES] = "holes",
};

struct gen {
	struct pagealloc pa;
	FILE *out;
	u64 rng;
	u64 pool;
	u64 allocs;
	u64 fails;
	u64 frees;
	u64 used;
};

struct live {
	u64 base;
	u64 npages;
};

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("gen-workload: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* Uniform in [lo, hi]. */
static u64 rng_range(struct gen *g, u64 lo, u64 hi)
{
	return lo + splitmix64_below(&g->rng, hi - lo + 1);
}

static void emit_phase(struct gen *g, const char *name)
{
	fprintf(g->out, "phase %s\n", name);
}

static void do_grow(struct gen *g, u64 base, u64 npages)
{
	int err = pagealloc_grow(&g->pa, base, npages);

	if (err)
		die("grow %llu %llu: %d", (unsigned long long)base,
		    (unsigned long long)npages, err);
	fprintf(g->out, "grow %llu %llu\n", (unsigned long long)base,
		(unsigned long long)npages);
}

static void do_take(struct gen *g, u64 base, u64 npages)
{
	int err = pagealloc_take(&g->pa, base, npages);

	if (err)
		die("take %llu %llu: %d", (unsigned long long)base,
		    (unsigned long long)npages, err);
	fprintf(g->out, "take %llu %llu\n", (unsigned long long)base,
		(unsigned long long)npages);
	g->used += npages;
}

/*
 * Return true and set *base when the core placed the allocation, at a
 * multiple of @align if it is above 1 (the origin left at 0).
 */
static bool do_alloc_aligned(struct gen *g, u64 npages, u64 align, u64 *base)
{
	u64 scav;
	int err;

	if (align > 1)
		fprintf(g->out, "alloc %llu %llu\n", (unsigned long long)npages,
			(unsigned long long)align);
	else
		fprintf(g->out, "alloc %llu\n", (unsigned long long)npages);
	g->allocs++;
	err = pagealloc_alloc_aligned(&g->pa, npages, align, base, &scav,
				      NULL);
	if (err) {
		g->fails++;
		return false;
	}
	g->used += npages;
	return true;
}

static bool do_alloc(struct gen *g, u64 npages, u64 *base)
{
	return do_alloc_aligned(g, npages, 0, base);
}

static void do_free(struct gen *g, u64 base, u64 npages)
{
	int err = pagealloc_free(&g->pa, base, npages);

	if (err)
		die("free %llu %llu: %d", (unsigned long long)base,
		    (unsigned long long)npages, err);
	fprintf(g->out, "free %llu %llu\n", (unsigned long long)base,
		(unsigned long long)npages);
	g->frees++;
	g->used -= npages;
}

static void gen_fill(struct gen *g)
{
	u64 i, base;

	emit_phase(g, "setup");
	do_grow(g, 0, g->pool);
	emit_phase(g, "alloc1");
	for (i = 0; i < g->pool; i++) {
		if (!do_alloc(g, 1, &base) || base != i)
			die("alloc 1 number %llu did not return page %llu",
			    (unsigned long long)i, (unsigned long long)i);
	}
	emit_phase(g, "free1");
	for (i = 0; i < g->pool; i++)
		do_free(g, i, 1);
}

/* W2 sizes: 60% 1 page, 25% 2-8, 12% 9-64, 3% 65-512. */
static u64 size_banded(struct gen *g)
{
	u64 r = splitmix64_below(&g->rng, 100);

	if (r < 60)
		return 1;
	if (r < 85)
		return rng_range(g, 2, 8);
	if (r < 97)
		return rng_range(g, 9, 64);
	return rng_range(g, 65, 512);
}

/* W3 sizes: P(s) proportional to 1/s for s in 1..LOG_MAX. */
#define LOG_MAX		4096
static u64 log_cdf[LOG_MAX + 1];

static void log_init(void)
{
	u64 s;

	for (s = 1; s <= LOG_MAX; s++)
		log_cdf[s] = log_cdf[s - 1] + (1ULL << 40) / s;
}

static u64 size_log(struct gen *g)
{
	u64 r = splitmix64_below(&g->rng, log_cdf[LOG_MAX]);
	u64 lo = 1, hi = LOG_MAX;

	/* The smallest s with r < log_cdf[s]. */
	while (lo < hi) {
		u64 mid = lo + (hi - lo) / 2;

		if (r < log_cdf[mid])
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static void gen_churn(struct gen *g, unsigned int percent, u64 ops,
		      u64 (*size)(struct gen *g))
{
	u64 target = g->pool * percent / 100;
	struct live *live;
	u64 nlive = 0, i, base, n;

	/* At most one live allocation per page. */
	live = calloc(g->pool, sizeof(*live));
	if (!live)
		die("out of memory");

	emit_phase(g, "setup");
	do_grow(g, 0, g->pool);

	emit_phase(g, "fill");
	while (g->used < target) {
		n = size(g);
		if (!do_alloc(g, n, &base))
			die("fill: alloc %llu failed at %llu pages used",
			    (unsigned long long)n,
			    (unsigned long long)g->used);
		live[nlive].base = base;
		live[nlive].npages = n;
		nlive++;
	}

	emit_phase(g, "churn");
	for (i = 0; i < ops; i++) {
		if (g->used >= target && nlive) {
			u64 k = splitmix64_below(&g->rng, nlive);

			do_free(g, live[k].base, live[k].npages);
			live[k] = live[--nlive];
			continue;
		}
		n = size(g);
		if (do_alloc(g, n, &base)) {
			live[nlive].base = base;
			live[nlive].npages = n;
			nlive++;
		}
	}
	fprintf(g->out, "# end: live=%llu used=%llu of %llu pages\n",
		(unsigned long long)nlive, (unsigned long long)g->used,
		(unsigned long long)g->pool);
	free(live);
}

static void gen_holes(struct gen *g, u64 ops)
{
	u64 top = g->pool - 64, r = g->pool - 3 * PAGEALLOC_CHUNK_PAGES;
	u64 i, k, base;

	emit_phase(g, "setup");
	do_grow(g, 0, g->pool);
	for (i = 1; i < top; i += 2)
		do_take(g, i, 1);

	emit_phase(g, "search64");
	for (i = 0; i < ops; i++) {
		if (!do_alloc(g, 64, &base) || base != top)
			die("alloc 64 did not return the top run");
		do_free(g, base, 64);
	}
	if (g->pool < 8 * PAGEALLOC_CHUNK_PAGES)
		return;

	/* Open the runs of the aligned phase (see the header). */
	emit_phase(g, "setup");
	for (k = 1; k <= 2; k++) {
		u64 d = g->pool * k / 3 / PAGEALLOC_CHUNK_PAGES *
			PAGEALLOC_CHUNK_PAGES + 2;

		for (i = d + 1; i < d + 68; i += 2)
			do_free(g, i, 1);
	}
	for (i = r - 39; i < r + 576; i += 2)
		do_free(g, i, 1);

	emit_phase(g, "search64a");
	for (i = 0; i < ops; i++) {
		u64 align = 16ULL << splitmix64_below(&g->rng, 6);
		u64 want = align <= 32 ? r - 32 : r;

		if (!do_alloc_aligned(g, 64, align, &base) || base != want)
			die("alloc 64 %llu did not return page %llu",
			    (unsigned long long)align, (unsigned long long)want);
		do_free(g, base, 64);
	}
}

static void show_usage(void)
{
	fprintf(stderr,
		"usage: gen-workload [-o FILE] [-p POOL_PAGES] [-n OPS] [-s SEED] WORKLOAD\n"
		"WORKLOAD: fill | churn75 | churn60 | holes\n"
		"-p: pool size in pages, a multiple of 512 (default 2^20, 2^18,\n"
		"    2^20, 2^22 pages); -n: churn operations or search64\n"
		"    rounds (default 10^6, 3*10^5, 20000); -s: PRNG seed\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const u64 def_pool[] = {
		[W_FILL] = 4 * GIB_PAGES,
		[W_CHURN75] = GIB_PAGES,
		[W_CHURN60] = 4 * GIB_PAGES,
		[W_HOLES] = 16 * GIB_PAGES,
	};
	static const u64 def_ops[] = {
		[W_FILL] = 0,
		[W_CHURN75] = 1000000,
		[W_CHURN60] = 300000,
		[W_HOLES] = 20000,
	};
	static const u64 def_seed[] = {
		[W_FILL] = 0x01,
		[W_CHURN75] = 0x75,
		[W_CHURN60] = 0x60,
		[W_HOLES] = 0x04,
	};
	static char buf[1 << 20];
	struct gen g = { 0 };
	const char *out = NULL;
	u64 pool = 0, ops = 0, seed = 0;
	bool have_ops = false, have_seed = false;
	unsigned int w;
	int opt, err;

	while ((opt = getopt(argc, argv, "o:p:n:s:h")) != -1) {
		switch (opt) {
		case 'o':
			out = optarg;
			break;
		case 'p':
			pool = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			ops = strtoull(optarg, NULL, 0);
			have_ops = true;
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			have_seed = true;
			break;
		default:
			show_usage();
		}
	}
	if (optind != argc - 1)
		show_usage();
	for (w = 0; w < ARRAY_SIZE(workload_names); w++)
		if (!strcmp(argv[optind], workload_names[w]))
			break;
	if (w == ARRAY_SIZE(workload_names))
		show_usage();
	if (!pool)
		pool = def_pool[w];
	if (!have_ops)
		ops = def_ops[w];
	if (!have_seed)
		seed = def_seed[w];
	if (pool % PAGEALLOC_CHUNK_PAGES || pool < 2 * PAGEALLOC_CHUNK_PAGES ||
	    pool > PAGEALLOC_MAX_PAGES)
		die("pool must be a multiple of %u pages, at least %u",
		    PAGEALLOC_CHUNK_PAGES, 2 * PAGEALLOC_CHUNK_PAGES);

	g.out = stdout;
	if (out) {
		g.out = fopen(out, "w");
		if (!g.out)
			die("%s: %s", out, strerror(errno));
	}
	setvbuf(g.out, buf, _IOFBF, sizeof(buf));
	g.rng = seed;
	g.pool = pool;
	err = pagealloc_init(&g.pa, pool);
	if (err)
		die("pagealloc_init: %d", err);
	log_init();

	fprintf(g.out, "# pagepool benchmark workload %s: pool=%llu pages ops=%llu seed=%#llx\n",
		workload_names[w], (unsigned long long)pool,
		(unsigned long long)ops, (unsigned long long)seed);
	fprintf(g.out, "# generated by tools/bench/gen-workload; placement by pagealloc\n");
	switch (w) {
	case W_FILL:
		gen_fill(&g);
		break;
	case W_CHURN75:
		gen_churn(&g, 75, ops, size_banded);
		break;
	case W_CHURN60:
		gen_churn(&g, 60, ops, size_log);
		break;
	case W_HOLES:
		gen_holes(&g, ops);
		break;
	}
	fprintf(g.out, "# allocs=%llu fails=%llu frees=%llu\n",
		(unsigned long long)g.allocs, (unsigned long long)g.fails,
		(unsigned long long)g.frees);
	pagealloc_destroy(&g.pa);
	if (fflush(g.out) || ferror(g.out) || (out && fclose(g.out)))
		die("write error");
	return 0;
}
