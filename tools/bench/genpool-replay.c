// SPDX-License-Identifier: GPL-2.0
/*
 * genpool-replay: the naive baseline of the pagepool benchmark. It replays
 * the traces of tools/pagealloc-replay on the algorithm of the kernel's
 * gen_pool (lib/genalloc.c, Linux 6.1) with gen_pool_first_fit: one bitmap,
 * one bit per page, set while the page is allocated; every allocation calls
 * bitmap_find_next_zero_area() from bit 0; a free clears the bits. The
 * bitmap primitives below follow lib/genalloc.c (bitmap_set_ll() and
 * bitmap_clear_ll() with compare-and-exchange), lib/bitmap.c
 * (bitmap_find_next_zero_area_off()) and lib/find_bit.c (word-at-a-time
 * find_next_bit()/find_next_zero_bit()).
 *
 * "alloc N A" (A > 1) is gen_pool_first_fit_align() with an alignment of
 * A pages: bitmap_find_next_zero_area_off() with the mask A - 1 and, the
 * pool starting at page 0, an offset of 0; pagealloc-replay leaves the
 * allocator's origin at 0, so both align page numbers. An A that is not a
 * power of two is a fatal trace error (pagealloc rejects it).
 *
 * Differences from gen_pool, all of them neutral for first-fit addresses:
 *  - the pool is one bitmap over pages [0, highest page grown); pages not
 *    grown have their bits set, so "grow" never creates a chunk boundary
 *    that an allocation could not cross (pagealloc has none either);
 *  - "take P N" is gen_pool_alloc_algo() with gen_pool_fixed_alloc();
 *  - "dirty" and "scavenge" are accepted and do nothing (gen_pool has no
 *    scavenged state); "chunksum" and "state" are rejected. Without
 *    --bench, "alloc N" prints "P 0" (nothing is ever counted scavenged)
 *    or "fail";
 *  - a grow that overlaps grown pages, a take of pages that are not free
 *    and a free of pages that are not allocated are fatal trace errors
 *    (gen_pool would BUG()).
 *
 * Usage: genpool-replay [--bench [REPS]] [--budget-ms MS] [TRACE]
 * The trace is read from TRACE or from standard input.
 *
 * With --bench the trace is parsed first and then run REPS times (default
 * 3) on a fresh pool, timing only the commands; for each phase the best run
 * is printed as
 *	phase NAME ops=N ns=T ns_per_op=X timed_ops=K [budget_ms=B]
 * followed by
 *	metadata bytes=B pages=P bytes_per_gib=X
 * Some phases are quadratic for gen_pool (a fill, a search through a pool of
 * single-page holes) and would take hours. Each phase therefore has a time
 * budget per run (--budget-ms, default 3000; 0 means none): once the timed
 * commands of a phase have used it, the clock stops and the rest of the
 * phase is fast-forwarded, untimed, through pagealloc (linked in): a shadow
 * pagealloc is brought up to date by replaying the commands run so far, the
 * bitmaps are compared (they must be equal), the rest of the phase runs on
 * pagealloc, and the gen_pool bitmap is rebuilt from pagealloc's chunk
 * bitmaps. ns and ns_per_op then cover only the first K (timed_ops) of the N
 * commands, and the line carries budget_ms=B; a note goes to stderr. For a
 * phase whose cost per command grows as it runs (a fill), ns_per_op over the
 * first K commands understates the whole phase. The best run of a phase is
 * the one with the lowest ns_per_op among the runs that timed all of it, or
 * among all runs when every one hit the budget.
 *
 * Commands before the first "phase" line are timed as phase "all", as in
 * pagealloc-replay; a phase named twice accumulates.
 */
#include "pagealloc.h"
#include "../lib/trace.h"

#define BITS_PER_LONG		64
#define BIT_WORD(nr)		((nr) / BITS_PER_LONG)
#define BITMAP_FIRST_WORD_MASK(start) (~0UL << ((start) & (BITS_PER_LONG - 1)))
#define BITMAP_LAST_WORD_MASK(nbits) (~0UL >> (-(nbits) & (BITS_PER_LONG - 1)))
#define CHUNK_WORDS		(PAGEALLOC_CHUNK_PAGES / BITS_PER_LONG)

/* The gen_pool model: one chunk whose bitmap covers [0, grown_end). */
struct genpool {
	unsigned long *bits;
	u64 nbits;
	u64 grown_end;
	u64 avail;
	u64 grown_pages;
	u8 *grown;
};

/* One run: the pool and its shadow pagealloc. */
struct run {
	const struct trace *t;
	u64 capacity;
	u64 budget_ns;
	struct genpool gp;
	bool have_gp;
	struct pagealloc pa;
	bool have_pa;
	u64 synced;
};

static void __printf(1, 2) die(const char *fmt, ...)
{
	va_list ap;

	fputs("genpool-replay: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void cmd_die(const struct trace_cmd *c, const char *why)
{
	if (trace_op_nargs(c->op) == 1 && !c->arg[1])
		die("line %u: %s %llu: %s", c->line, trace_op_name(c->op),
		    (unsigned long long)c->arg[0], why);
	die("line %u: %s %llu %llu: %s", c->line, trace_op_name(c->op),
	    (unsigned long long)c->arg[0], (unsigned long long)c->arg[1],
	    why);
}

/* lib/find_bit.c, word at a time; invert selects find_next_zero_bit(). */
static __always_inline unsigned long
find_next(const unsigned long *addr, unsigned long size, unsigned long start,
	  unsigned long invert)
{
	unsigned long idx, tmp;

	if (unlikely(start >= size))
		return size;
	idx = start / BITS_PER_LONG;
	tmp = (addr[idx] ^ invert) & BITMAP_FIRST_WORD_MASK(start);
	while (!tmp) {
		if ((idx + 1) * BITS_PER_LONG >= size)
			return size;
		idx++;
		tmp = addr[idx] ^ invert;
	}
	return min(idx * BITS_PER_LONG + __builtin_ctzl(tmp), size);
}

static unsigned long find_next_bit(const unsigned long *addr,
				   unsigned long size, unsigned long start)
{
	return find_next(addr, size, start, 0UL);
}

static unsigned long find_next_zero_bit(const unsigned long *addr,
					unsigned long size,
					unsigned long start)
{
	return find_next(addr, size, start, ~0UL);
}

/* include/linux/const.h's __ALIGN_MASK() */
static inline unsigned long align_mask_up(unsigned long x, unsigned long mask)
{
	return (x + mask) & ~mask;
}

/*
 * lib/bitmap.c: bitmap_find_next_zero_area_off(); gen_pool_first_fit
 * passes no alignment (a mask of 0), gen_pool_first_fit_align() a mask.
 */
static unsigned long bitmap_find_next_zero_area_off(unsigned long *map,
						    unsigned long size,
						    unsigned long start,
						    unsigned int nr,
						    unsigned long align_mask,
						    unsigned long align_offset)
{
	unsigned long index, end, i;
again:
	index = find_next_zero_bit(map, size, start);

	/* Align allocation */
	index = align_mask_up(index + align_offset, align_mask) - align_offset;

	end = index + nr;
	if (end > size)
		return end;
	i = find_next_bit(map, end, index);
	if (i < end) {
		start = i + 1;
		goto again;
	}
	return index;
}

static unsigned long bitmap_find_next_zero_area(unsigned long *map,
						unsigned long size,
						unsigned long start,
						unsigned int nr)
{
	return bitmap_find_next_zero_area_off(map, size, start, nr, 0, 0);
}

/* lib/genalloc.c */
static int set_bits_ll(unsigned long *addr, unsigned long mask_to_set)
{
	unsigned long val = __atomic_load_n(addr, __ATOMIC_RELAXED);

	do {
		if (val & mask_to_set)
			return -1;
	} while (!__atomic_compare_exchange_n(addr, &val, val | mask_to_set,
					      false, __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
	return 0;
}

static int clear_bits_ll(unsigned long *addr, unsigned long mask_to_clear)
{
	unsigned long val = __atomic_load_n(addr, __ATOMIC_RELAXED);

	do {
		if ((val & mask_to_clear) != mask_to_clear)
			return -1;
	} while (!__atomic_compare_exchange_n(addr, &val,
					      val & ~mask_to_clear, false,
					      __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
	return 0;
}

static unsigned long bitmap_set_ll(unsigned long *map, unsigned long start,
				   unsigned long nr)
{
	unsigned long *p = map + BIT_WORD(start);
	const unsigned long size = start + nr;
	unsigned long bits_to_set = BITS_PER_LONG - (start % BITS_PER_LONG);
	unsigned long mask_to_set = BITMAP_FIRST_WORD_MASK(start);

	while (nr >= bits_to_set) {
		if (set_bits_ll(p, mask_to_set))
			return nr;
		nr -= bits_to_set;
		bits_to_set = BITS_PER_LONG;
		mask_to_set = ~0UL;
		p++;
	}
	if (nr) {
		mask_to_set &= BITMAP_LAST_WORD_MASK(size);
		if (set_bits_ll(p, mask_to_set))
			return nr;
	}
	return 0;
}

static unsigned long bitmap_clear_ll(unsigned long *map, unsigned long start,
				     unsigned long nr)
{
	unsigned long *p = map + BIT_WORD(start);
	const unsigned long size = start + nr;
	unsigned long bits_to_clear = BITS_PER_LONG - (start % BITS_PER_LONG);
	unsigned long mask_to_clear = BITMAP_FIRST_WORD_MASK(start);

	while (nr >= bits_to_clear) {
		if (clear_bits_ll(p, mask_to_clear))
			return nr;
		nr -= bits_to_clear;
		bits_to_clear = BITS_PER_LONG;
		mask_to_clear = ~0UL;
		p++;
	}
	if (nr) {
		mask_to_clear &= BITMAP_LAST_WORD_MASK(size);
		if (clear_bits_ll(p, mask_to_clear))
			return nr;
	}
	return 0;
}

/*
 * gen_pool_first_fit_align() for a pool of order 0 (a bit is a page) that
 * starts at page 0: the offset, start_addr & (align - 1), is 0.
 */
static unsigned long gen_pool_first_fit_align(unsigned long *map,
					      unsigned long size,
					      unsigned long start,
					      unsigned int nr, u64 align)
{
	unsigned long align_mask = align - 1, align_off = 0;

	return bitmap_find_next_zero_area_off(map, size, start, nr,
					      align_mask, align_off);
}

/*
 * gen_pool_alloc_algo_owner() for our single chunk; fixed selects
 * gen_pool_fixed_alloc() at page @fixed_at instead of gen_pool_first_fit(),
 * an @align above 1 gen_pool_first_fit_align().
 * Return the first page, or U64_MAX when nothing fits.
 */
static u64 gp_alloc_algo(struct genpool *gp, u64 nbits, bool fixed,
			 u64 fixed_at, u64 align)
{
	unsigned long start_bit, end_bit, remain;

	if (!nbits || nbits > gp->avail)
		return U64_MAX;
	start_bit = 0;
	end_bit = gp->grown_end;
retry:
	if (fixed) {
		start_bit = bitmap_find_next_zero_area(gp->bits, end_bit,
						       start_bit + fixed_at,
						       nbits);
		if (start_bit != fixed_at)
			start_bit = end_bit;
	} else if (align > 1) {
		start_bit = gen_pool_first_fit_align(gp->bits, end_bit,
						     start_bit, nbits, align);
	} else {
		start_bit = bitmap_find_next_zero_area(gp->bits, end_bit,
						       start_bit, nbits);
	}
	if (start_bit >= end_bit)
		return U64_MAX;
	remain = bitmap_set_ll(gp->bits, start_bit, nbits);
	if (remain) {
		remain = bitmap_clear_ll(gp->bits, start_bit, nbits - remain);
		if (remain)
			die("bitmap_clear_ll failed in alloc");
		goto retry;
	}
	gp->avail -= nbits;
	return start_bit;
}

/* gen_pool_free_owner() */
static int gp_free(struct genpool *gp, u64 base, u64 npages)
{
	if (!npages || base >= gp->grown_end ||
	    npages > gp->grown_end - base)
		return -1;
	if (bitmap_clear_ll(gp->bits, base, npages))
		return -1;
	gp->avail += npages;
	return 0;
}

/* gen_pool_add() of a range, or the extension of our single chunk. */
static int gp_grow(struct genpool *gp, u64 base, u64 npages)
{
	u64 c;

	if (!npages || base % PAGEALLOC_CHUNK_PAGES ||
	    npages % PAGEALLOC_CHUNK_PAGES || base > gp->nbits ||
	    npages > gp->nbits - base)
		return -1;
	for (c = base / PAGEALLOC_CHUNK_PAGES;
	     c < (base + npages) / PAGEALLOC_CHUNK_PAGES; c++)
		if (gp->grown[c])
			return -1;
	for (c = base / PAGEALLOC_CHUNK_PAGES;
	     c < (base + npages) / PAGEALLOC_CHUNK_PAGES; c++)
		gp->grown[c] = 1;
	memset(gp->bits + BIT_WORD(base), 0, npages / 8);
	gp->grown_end = max(gp->grown_end, base + npages);
	gp->avail += npages;
	gp->grown_pages += npages;
	return 0;
}

static void gp_init(struct genpool *gp, u64 capacity)
{
	memset(gp, 0, sizeof(*gp));
	gp->nbits = capacity;
	gp->bits = malloc(capacity / 8 + sizeof(long));
	gp->grown = calloc(capacity / PAGEALLOC_CHUNK_PAGES + 1, 1);
	if (!gp->bits || !gp->grown)
		die("out of memory");
	memset(gp->bits, 0xff, capacity / 8 + sizeof(long));
}

static void gp_destroy(struct genpool *gp)
{
	free(gp->bits);
	free(gp->grown);
}

/* Run one command on the pool; print alloc results when @print. */
static void gp_exec(struct genpool *gp, const struct trace_cmd *c,
		    bool print)
{
	u64 a = c->arg[0], b = c->arg[1], base;

	switch (c->op) {
	case TRACE_GROW:
		if (gp_grow(gp, a, b))
			cmd_die(c, "bad range or pages already grown");
		break;
	case TRACE_TAKE:
		if (gp_alloc_algo(gp, b, true, a, 0) != a)
			cmd_die(c, "pages not free");
		break;
	case TRACE_ALLOC:
		base = gp_alloc_algo(gp, a, false, 0, b);
		if (print) {
			if (base == U64_MAX)
				printf("fail\n");
			else
				printf("%llu 0\n", (unsigned long long)base);
		}
		break;
	case TRACE_FREE:
		if (gp_free(gp, a, b))
			cmd_die(c, "pages not allocated");
		break;
	case TRACE_DIRTY:
	case TRACE_SCAVENGE:
	case TRACE_PHASE:
		break;
	case TRACE_CHUNKSUM:
	case TRACE_STATE:
		/* Rejected by check_trace(). */
		break;
	}
}

/* Run one command on the shadow pagealloc. */
static void pa_exec(struct pagealloc *pa, const struct trace_cmd *c)
{
	u64 a = c->arg[0], b = c->arg[1], base, scav;
	int err = 0;

	switch (c->op) {
	case TRACE_GROW:
		err = pagealloc_grow(pa, a, b);
		break;
	case TRACE_TAKE:
		err = pagealloc_take(pa, a, b);
		break;
	case TRACE_ALLOC:
		pagealloc_alloc_aligned(pa, a, b, &base, &scav, NULL);
		break;
	case TRACE_FREE:
		err = pagealloc_free(pa, a, b);
		break;
	case TRACE_DIRTY:
		err = pagealloc_dirty(pa, a, b);
		break;
	case TRACE_SCAVENGE:
		err = pagealloc_scavenge(pa, a, &scav);
		break;
	case TRACE_CHUNKSUM:
	case TRACE_STATE:
	case TRACE_PHASE:
		break;
	}
	if (err)
		cmd_die(c, "pagealloc failed it");
}

/* Bring the shadow pagealloc up to command @upto; check it matches. */
static void run_sync(struct run *r, u64 upto, bool check)
{
	const struct trace *t = r->t;
	struct genpool *gp = &r->gp;
	u64 c, w;

	if (!r->have_pa) {
		int err = pagealloc_init(&r->pa, r->capacity);

		if (err)
			die("pagealloc_init(%llu): %d",
			    (unsigned long long)r->capacity, err);
		r->have_pa = true;
		r->synced = 0;
	}
	for (; r->synced < upto; r->synced++)
		pa_exec(&r->pa, &t->cmds[r->synced]);
	if (!check)
		return;
	if (r->pa.free_pages != gp->avail)
		die("after line %u: pagealloc has %llu free pages, gen_pool %llu",
		    upto ? t->cmds[upto - 1].line : 0,
		    (unsigned long long)r->pa.free_pages,
		    (unsigned long long)gp->avail);
	for (c = 0; c < r->capacity / PAGEALLOC_CHUNK_PAGES; c++) {
		const struct pagealloc_chunk *ch;

		if (pagealloc_chunk_grown(&r->pa, c) != !!gp->grown[c])
			die("chunk %llu grown in only one of pagealloc and gen_pool",
			    (unsigned long long)c);
		if (!gp->grown[c])
			continue;
		ch = pagealloc_chunk(&r->pa, c);
		for (w = 0; w < CHUNK_WORDS; w++)
			if (ch->alloc[w] != gp->bits[c * CHUNK_WORDS + w])
				die("after line %u: pagealloc and gen_pool differ in chunk %llu",
				    upto ? t->cmds[upto - 1].line : 0,
				    (unsigned long long)c);
	}
}

/* Rebuild the gen_pool bitmap from the shadow pagealloc. */
static void run_rebuild(struct run *r)
{
	struct genpool *gp = &r->gp;
	u64 c, n = r->gp.nbits / PAGEALLOC_CHUNK_PAGES;

	gp->grown_end = 0;
	gp->grown_pages = 0;
	for (c = 0; c < n; c++) {
		unsigned long *dst = gp->bits + c * CHUNK_WORDS;

		gp->grown[c] = pagealloc_chunk_grown(&r->pa, c);
		if (!gp->grown[c]) {
			memset(dst, 0xff, CHUNK_WORDS * sizeof(*dst));
			continue;
		}
		memcpy(dst, pagealloc_chunk(&r->pa, c)->alloc,
		       CHUNK_WORDS * sizeof(*dst));
		gp->grown_end = (c + 1) * PAGEALLOC_CHUNK_PAGES;
		gp->grown_pages += PAGEALLOC_CHUNK_PAGES;
	}
	gp->avail = r->pa.free_pages;
}

/*
 * Run one segment, timed. The clock is read after batches of commands whose
 * size adapts so that a batch takes roughly 0.1 to 1 ms.
 */
static void run_segment(void *ctx, const struct trace *t,
			const struct trace_segment *s, struct trace_phase *ph)
{
	struct run *r = ctx;
	u64 budget_ns = r->budget_ns;
	u64 i = s->start, batch = 1, t0, t1, tb, j, n;

	if (ph->partial) {
		/* The budget is spent: the whole segment goes to pagealloc. */
		run_sync(r, s->start, false);
		run_sync(r, s->end, false);
		run_rebuild(r);
		return;
	}
	t0 = trace_now_ns();
	while (i < s->end) {
		n = min(batch, s->end - i);
		tb = trace_now_ns();
		for (j = i; j < i + n; j++)
			gp_exec(&r->gp, &t->cmds[j], false);
		t1 = trace_now_ns();
		i += n;
		if (t1 - tb < 100000 && batch < (1U << 16))
			batch *= 2;
		else if (t1 - tb > 1000000 && batch > 1)
			batch /= 2;
		if (budget_ns && ph->ns + (t1 - t0) >= budget_ns &&
		    i < s->end) {
			ph->ns += t1 - t0;
			ph->timed += i - s->start;
			ph->partial = true;
			run_sync(r, i, true);
			run_sync(r, s->end, false);
			run_rebuild(r);
			return;
		}
	}
	t1 = trace_now_ns();
	ph->ns += t1 - t0;
	ph->timed += s->end - s->start;
}

/* Start a run: a fresh pool, and no shadow pagealloc yet. */
static void run_start(void *ctx)
{
	struct run *r = ctx;

	if (r->have_gp)
		gp_destroy(&r->gp);
	if (r->have_pa)
		pagealloc_destroy(&r->pa);
	r->have_pa = false;
	gp_init(&r->gp, r->capacity);
	r->have_gp = true;
}

static const struct trace_bench_ops bench_ops = {
	.start = run_start,
	.segment = run_segment,
};

static void bench(struct trace *t, u64 capacity, unsigned int reps,
		  u64 budget_ns)
{
	struct run r = { .t = t, .capacity = capacity, .budget_ns = budget_ns };
	unsigned int k;
	u64 grown;

	trace_bench(t, reps, &bench_ops, &r);
	grown = r.gp.grown_pages;
	gp_destroy(&r.gp);
	if (r.have_pa)
		pagealloc_destroy(&r.pa);
	for (k = 0; k < t->nphases; k++) {
		struct trace_phase *ph = &t->phases[k];
		double per = ph->best_timed ?
			     (double)ph->best_ns / ph->best_timed : 0;

		printf("phase %s ops=%llu ns=%llu ns_per_op=%.1f timed_ops=%llu",
		       ph->name, (unsigned long long)ph->ops,
		       (unsigned long long)ph->best_ns, per,
		       (unsigned long long)ph->best_timed);
		if (ph->best_partial) {
			printf(" budget_ms=%llu",
			       (unsigned long long)(budget_ns / 1000000));
			fprintf(stderr,
				"genpool-replay: phase %s: budget of %llu ms spent after %llu of %llu commands; the rest ran untimed on pagealloc\n",
				ph->name,
				(unsigned long long)(budget_ns / 1000000),
				(unsigned long long)ph->best_timed,
				(unsigned long long)ph->ops);
		}
		printf("\n");
	}
	/* The bitmap plus struct gen_pool_chunk (56 bytes on 64-bit). */
	{
		u64 bytes = DIV_ROUND_UP(grown, BITS_PER_LONG) * 8 + 56;
		double per_gib = grown ? (double)bytes * (1 << 18) / grown : 0;

		printf("metadata bytes=%llu pages=%llu bytes_per_gib=%.1f\n",
		       (unsigned long long)bytes, (unsigned long long)grown,
		       per_gib);
	}
}

static void replay(struct trace *t, u64 capacity)
{
	struct genpool gp;
	u64 i;

	gp_init(&gp, capacity);
	for (i = 0; i < t->ncmds; i++)
		gp_exec(&gp, &t->cmds[i], true);
	gp_destroy(&gp);
}

/*
 * Die for the malformed line @e, in this tool's words: the arguments are
 * checked one by one, then their count.
 */
static void bad_line_die(const struct trace_error *e)
{
	unsigned int i;
	u64 v;

	if (e->op == TRACE_PHASE)
		die(e->ntok == 1 ? "line %lu: phase without a name" :
		    "line %lu: bad arguments", e->line);
	if (e->op == TRACE_NR_OPS || e->op == TRACE_CHUNKSUM ||
	    e->op == TRACE_STATE)
		die("line %lu: unsupported command '%.*s'", e->line,
		    (int)e->toklen[0], e->tok[0]);
	for (i = 1; i < e->ntok; i++) {
		if (i > 2 || e->tok[i][0] < '0' || e->tok[i][0] > '9')
			die("line %lu: bad arguments", e->line);
		if (!trace_parse_u64(e->tok[i], e->toklen[i], &v))
			die("line %lu: bad number", e->line);
	}
	if (trace_op_optional(e->op))
		die("line %lu: %s takes %u or %u numbers", e->line,
		    trace_op_name(e->op), trace_op_nargs(e->op),
		    trace_op_nargs(e->op) + trace_op_optional(e->op));
	die("line %lu: %s takes %u numbers", e->line, trace_op_name(e->op),
	    trace_op_nargs(e->op));
}

/*
 * Die at the first line this tool does not run: a malformed one, or a
 * command gen_pool has no counterpart for, or a grow beyond the largest
 * pool. Return the pool size the trace needs.
 */
static u64 check_trace(const struct trace *t)
{
	u64 max_end = 0;
	size_t i;

	for (i = 0; i < t->ncmds; i++) {
		const struct trace_cmd *c = &t->cmds[i];

		if (c->op == TRACE_CHUNKSUM || c->op == TRACE_STATE)
			die("line %u: unsupported command '%s'", c->line,
			    trace_op_name(c->op));
		if (c->op == TRACE_ALLOC &&
		    (c->arg[1] > PAGEALLOC_MAX_PAGES ||
		     (c->arg[1] & (c->arg[1] - 1))))
			die("line %u: alignment %llu is not a power of two up to %llu",
			    c->line, (unsigned long long)c->arg[1],
			    (unsigned long long)PAGEALLOC_MAX_PAGES);
		if (c->op != TRACE_GROW)
			continue;
		if (c->arg[0] > PAGEALLOC_MAX_PAGES ||
		    c->arg[1] > PAGEALLOC_MAX_PAGES - c->arg[0])
			die("line %u: grow beyond %llu pages", c->line,
			    (unsigned long long)PAGEALLOC_MAX_PAGES);
		max_end = max(max_end, c->arg[0] + c->arg[1]);
	}
	if (t->bad.line)
		bad_line_die(&t->bad);
	return max_t(u64, PAGEALLOC_CHUNK_PAGES,
		     round_up(max_end, PAGEALLOC_CHUNK_PAGES));
}

static void show_usage(void)
{
	fprintf(stderr,
		"usage: genpool-replay [--bench [REPS]] [--budget-ms MS] [TRACE]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long long budget_ms = 3000;
	unsigned int reps = 0;
	const char *path = NULL;
	struct trace t;
	u64 capacity;
	FILE *f = stdin;
	size_t len;
	char *text;
	int i, err;

	for (i = 1; i < argc; i++) {
		char *end;

		if (!strcmp(argv[i], "--bench")) {
			reps = 3;
			if (i + 1 < argc && argv[i + 1][0] >= '0' &&
			    argv[i + 1][0] <= '9') {
				reps = strtoul(argv[++i], &end, 10);
				if (*end || !reps)
					show_usage();
			}
		} else if (!strcmp(argv[i], "--budget-ms") && i + 1 < argc) {
			budget_ms = strtoull(argv[++i], &end, 10);
			if (*end)
				show_usage();
		} else if (argv[i][0] == '-' && argv[i][1]) {
			show_usage();
		} else if (!path) {
			path = argv[i];
		} else {
			show_usage();
		}
	}
	if (path && strcmp(path, "-")) {
		f = fopen(path, "r");
		if (!f)
			die("%s: %s", path, strerror(errno));
	}
	err = trace_read(f, &text, &len);
	if (err)
		die(err == -ENOMEM ? "out of memory" : "read error");
	if (f != stdin)
		fclose(f);
	/* The trace is text: it ends at a NUL byte, if there is one. */
	if (trace_parse(&t, text, strnlen(text, len)))
		die("out of memory");
	/* Messages about a malformed line quote it from the text. */
	capacity = check_trace(&t);
	free(text);
	if (reps)
		bench(&t, capacity, reps, budget_ms * 1000000ULL);
	else
		replay(&t, capacity);
	trace_free(&t);
	if (fflush(stdout) || ferror(stdout))
		die("write error");
	return 0;
}
