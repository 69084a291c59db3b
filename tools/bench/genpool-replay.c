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
#include <time.h>
#include "pagealloc.h"

#define BITS_PER_LONG		64
#define BIT_WORD(nr)		((nr) / BITS_PER_LONG)
#define BITMAP_FIRST_WORD_MASK(start) (~0UL << ((start) & (BITS_PER_LONG - 1)))
#define BITMAP_LAST_WORD_MASK(nbits) (~0UL >> (-(nbits) & (BITS_PER_LONG - 1)))
#define CHUNK_WORDS		(PAGEALLOC_CHUNK_PAGES / BITS_PER_LONG)

enum op { OP_GROW, OP_TAKE, OP_DIRTY, OP_ALLOC, OP_FREE, OP_SCAVENGE };

static const char * const op_names[] = {
	[OP_GROW] = "grow",
	[OP_TAKE] = "take",
	[OP_DIRTY] = "dirty",
	[OP_ALLOC] = "alloc",
	[OP_FREE] = "free",
	[OP_SCAVENGE] = "scavenge",
};

static const unsigned int op_args[] = {
	[OP_GROW] = 2, [OP_TAKE] = 2, [OP_DIRTY] = 2,
	[OP_ALLOC] = 1, [OP_FREE] = 2, [OP_SCAVENGE] = 1,
};

struct cmd {
	u64 a;
	u64 b;
	unsigned int op;
	unsigned int line;
};

/* A stretch of commands [start, end) belonging to one phase. */
struct segment {
	u64 start;
	u64 end;
	unsigned int phase;
};

struct phase {
	char *name;
	u64 ops;
	/* This run. */
	u64 ns;
	u64 timed;
	bool budgeted;
	/* Best run so far. */
	bool have_best;
	u64 best_ns;
	u64 best_timed;
	bool best_budgeted;
};

struct trace {
	struct cmd *cmds;
	u64 ncmds;
	struct segment *segs;
	unsigned int nsegs;
	struct phase *phases;
	unsigned int nphases;
	u64 capacity;
};

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
	struct genpool gp;
	struct pagealloc pa;
	bool have_pa;
	u64 synced;
};

static const struct trace *cur_trace;

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

static void cmd_die(const struct cmd *c, const char *why)
{
	if (op_args[c->op] == 1)
		die("line %u: %s %llu: %s", c->line, op_names[c->op],
		    (unsigned long long)c->a, why);
	die("line %u: %s %llu %llu: %s", c->line, op_names[c->op],
	    (unsigned long long)c->a, (unsigned long long)c->b, why);
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

/* lib/bitmap.c, without alignment (gen_pool_first_fit passes none). */
static unsigned long bitmap_find_next_zero_area(unsigned long *map,
						unsigned long size,
						unsigned long start,
						unsigned int nr)
{
	unsigned long index, end, i;
again:
	index = find_next_zero_bit(map, size, start);
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
 * gen_pool_alloc_algo_owner() for our single chunk; fixed selects
 * gen_pool_fixed_alloc() at page @fixed_at instead of gen_pool_first_fit().
 * Return the first page, or U64_MAX when nothing fits.
 */
static u64 gp_alloc_algo(struct genpool *gp, u64 nbits, bool fixed,
			 u64 fixed_at)
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
static void gp_exec(struct genpool *gp, const struct cmd *c, bool print)
{
	u64 base;

	switch (c->op) {
	case OP_GROW:
		if (gp_grow(gp, c->a, c->b))
			cmd_die(c, "bad range or pages already grown");
		break;
	case OP_TAKE:
		if (gp_alloc_algo(gp, c->b, true, c->a) != c->a)
			cmd_die(c, "pages not free");
		break;
	case OP_ALLOC:
		base = gp_alloc_algo(gp, c->a, false, 0);
		if (print) {
			if (base == U64_MAX)
				printf("fail\n");
			else
				printf("%llu 0\n", (unsigned long long)base);
		}
		break;
	case OP_FREE:
		if (gp_free(gp, c->a, c->b))
			cmd_die(c, "pages not allocated");
		break;
	case OP_DIRTY:
	case OP_SCAVENGE:
		break;
	}
}

/* Run one command on the shadow pagealloc. */
static void pa_exec(struct pagealloc *pa, const struct cmd *c)
{
	u64 base, scav;
	int err = 0;

	switch (c->op) {
	case OP_GROW:
		err = pagealloc_grow(pa, c->a, c->b);
		break;
	case OP_TAKE:
		err = pagealloc_take(pa, c->a, c->b);
		break;
	case OP_ALLOC:
		pagealloc_alloc(pa, c->a, &base, &scav);
		break;
	case OP_FREE:
		err = pagealloc_free(pa, c->a, c->b);
		break;
	case OP_DIRTY:
		err = pagealloc_dirty(pa, c->a, c->b);
		break;
	case OP_SCAVENGE:
		err = pagealloc_scavenge(pa, c->a, &scav);
		break;
	}
	if (err)
		cmd_die(c, "pagealloc failed it");
}

/* Bring the shadow pagealloc up to command @upto; check it matches. */
static void run_sync(struct run *r, u64 upto, bool check)
{
	const struct trace *t = cur_trace;
	struct genpool *gp = &r->gp;
	u64 c, w;

	if (!r->have_pa) {
		int err = pagealloc_init(&r->pa, t->capacity);

		if (err)
			die("pagealloc_init(%llu): %d",
			    (unsigned long long)t->capacity, err);
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
	for (c = 0; c < t->capacity / PAGEALLOC_CHUNK_PAGES; c++) {
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

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * Run one segment, timed. The clock is read after batches of commands whose
 * size adapts so that a batch takes roughly 0.1 to 1 ms.
 */
static void run_segment(struct run *r, const struct segment *s,
			u64 budget_ns)
{
	const struct trace *t = cur_trace;
	struct phase *ph = &t->phases[s->phase];
	u64 i = s->start, batch = 1, t0, t1, tb, j, n;

	if (ph->budgeted) {
		/* The budget is spent: the whole segment goes to pagealloc. */
		run_sync(r, s->start, false);
		run_sync(r, s->end, false);
		run_rebuild(r);
		return;
	}
	t0 = now_ns();
	while (i < s->end) {
		n = min(batch, s->end - i);
		tb = now_ns();
		for (j = i; j < i + n; j++)
			gp_exec(&r->gp, &t->cmds[j], false);
		t1 = now_ns();
		i += n;
		if (t1 - tb < 100000 && batch < (1U << 16))
			batch *= 2;
		else if (t1 - tb > 1000000 && batch > 1)
			batch /= 2;
		if (budget_ns && ph->ns + (t1 - t0) >= budget_ns &&
		    i < s->end) {
			ph->ns += t1 - t0;
			ph->timed += i - s->start;
			ph->budgeted = true;
			run_sync(r, i, true);
			run_sync(r, s->end, false);
			run_rebuild(r);
			return;
		}
	}
	t1 = now_ns();
	ph->ns += t1 - t0;
	ph->timed += s->end - s->start;
}

static double per_op(u64 ns, u64 ops)
{
	return ops ? (double)ns / ops : 0;
}

static void bench(struct trace *t, unsigned int reps, u64 budget_ns)
{
	unsigned int rep, k;
	struct run r;
	u64 grown = 0;

	for (rep = 0; rep < reps; rep++) {
		memset(&r, 0, sizeof(r));
		gp_init(&r.gp, t->capacity);
		for (k = 0; k < t->nphases; k++) {
			t->phases[k].ns = 0;
			t->phases[k].timed = 0;
			t->phases[k].budgeted = false;
		}
		for (k = 0; k < t->nsegs; k++)
			run_segment(&r, &t->segs[k], budget_ns);
		for (k = 0; k < t->nphases; k++) {
			struct phase *ph = &t->phases[k];
			bool better;

			/*
			 * Best: a run that timed the whole phase beats one
			 * that hit the budget (whose figure covers only a
			 * prefix); then the lowest ns per timed command.
			 */
			if (!ph->have_best || ph->budgeted != ph->best_budgeted)
				better = !ph->have_best || !ph->budgeted;
			else
				better = per_op(ph->ns, ph->timed) <
					 per_op(ph->best_ns, ph->best_timed);
			if (better) {
				ph->have_best = true;
				ph->best_ns = ph->ns;
				ph->best_timed = ph->timed;
				ph->best_budgeted = ph->budgeted;
			}
		}
		grown = r.gp.grown_pages;
		gp_destroy(&r.gp);
		if (r.have_pa)
			pagealloc_destroy(&r.pa);
	}
	for (k = 0; k < t->nphases; k++) {
		struct phase *ph = &t->phases[k];
		double per = per_op(ph->best_ns, ph->best_timed);

		printf("phase %s ops=%llu ns=%llu ns_per_op=%.1f timed_ops=%llu",
		       ph->name, (unsigned long long)ph->ops,
		       (unsigned long long)ph->best_ns, per,
		       (unsigned long long)ph->best_timed);
		if (ph->best_budgeted) {
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

static void replay(struct trace *t)
{
	struct genpool gp;
	u64 i;

	gp_init(&gp, t->capacity);
	for (i = 0; i < t->ncmds; i++)
		gp_exec(&gp, &t->cmds[i], true);
	gp_destroy(&gp);
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = stdin;
	size_t cap = 1 << 20, n = 0, got;
	char *buf;

	if (path && strcmp(path, "-")) {
		f = fopen(path, "r");
		if (!f)
			die("%s: %s", path, strerror(errno));
	}
	buf = malloc(cap + 1);
	if (!buf)
		die("out of memory");
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
			if (!buf)
				die("out of memory");
		}
	}
	if (ferror(f))
		die("read error");
	if (f != stdin)
		fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static unsigned int phase_id(struct trace *t, const char *name, size_t len)
{
	unsigned int k;

	for (k = 0; k < t->nphases; k++)
		if (strlen(t->phases[k].name) == len &&
		    !memcmp(t->phases[k].name, name, len))
			return k;
	t->phases = realloc(t->phases, (k + 1) * sizeof(*t->phases));
	if (!t->phases)
		die("out of memory");
	memset(&t->phases[k], 0, sizeof(t->phases[k]));
	t->phases[k].name = strndup(name, len);
	t->nphases++;
	return k;
}

static void new_segment(struct trace *t, unsigned int phase)
{
	if (t->nsegs && t->segs[t->nsegs - 1].end == t->ncmds &&
	    t->segs[t->nsegs - 1].start == t->ncmds) {
		/* The previous segment is empty: reuse it. */
		t->segs[t->nsegs - 1].phase = phase;
		return;
	}
	t->segs = realloc(t->segs, (t->nsegs + 1) * sizeof(*t->segs));
	if (!t->segs)
		die("out of memory");
	t->segs[t->nsegs].start = t->ncmds;
	t->segs[t->nsegs].end = t->ncmds;
	t->segs[t->nsegs].phase = phase;
	t->nsegs++;
}

static void parse(struct trace *t, char *text)
{
	u64 cap = 1024, max_end = 0;
	unsigned int line = 0, k;
	char *p = text, *eol;

	memset(t, 0, sizeof(*t));
	t->cmds = malloc(cap * sizeof(*t->cmds));
	if (!t->cmds)
		die("out of memory");
	for (; *p; p = eol + (*eol != '\0')) {
		char *word, *hash, *end;
		size_t wlen;
		struct cmd c = { 0 };
		u64 args[2];
		unsigned int nargs = 0, op;

		line++;
		eol = strchr(p, '\n');
		if (!eol)
			eol = p + strlen(p);
		hash = memchr(p, '#', eol - p);
		end = hash ? hash : eol;
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		if (p == end)
			continue;
		word = p;
		while (p < end && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
		wlen = p - word;
		if (wlen == 5 && !memcmp(word, "phase", 5)) {
			char *name;

			while (p < end && (*p == ' ' || *p == '\t'))
				p++;
			name = p;
			while (p < end && *p != ' ' && *p != '\t' &&
			       *p != '\r')
				p++;
			if (p == name)
				die("line %u: phase without a name", line);
			new_segment(t, phase_id(t, name, p - name));
			continue;
		}
		for (op = 0; op < ARRAY_SIZE(op_names); op++)
			if (strlen(op_names[op]) == wlen &&
			    !memcmp(op_names[op], word, wlen))
				break;
		if (op == ARRAY_SIZE(op_names))
			die("line %u: unsupported command '%.*s'", line,
			    (int)wlen, word);
		for (;;) {
			char *q;

			while (p < end && (*p == ' ' || *p == '\t' ||
					   *p == '\r'))
				p++;
			if (p == end)
				break;
			if (nargs == 2 || *p < '0' || *p > '9')
				die("line %u: bad arguments", line);
			errno = 0;
			args[nargs++] = strtoull(p, &q, 10);
			if (errno || (q < end && *q != ' ' && *q != '\t' &&
				      *q != '\r'))
				die("line %u: bad number", line);
			p = q;
		}
		if (nargs != op_args[op])
			die("line %u: %s takes %u numbers", line, op_names[op],
			    op_args[op]);
		c.op = op;
		c.line = line;
		c.a = args[0];
		c.b = nargs > 1 ? args[1] : 0;
		if (op == OP_GROW) {
			if (c.a > PAGEALLOC_MAX_PAGES ||
			    c.b > PAGEALLOC_MAX_PAGES - c.a)
				die("line %u: grow beyond %llu pages", line,
				    (unsigned long long)PAGEALLOC_MAX_PAGES);
			max_end = max(max_end, c.a + c.b);
		}
		if (!t->nsegs)
			new_segment(t, phase_id(t, "all", 3));
		if (t->ncmds == cap) {
			cap *= 2;
			t->cmds = realloc(t->cmds, cap * sizeof(*t->cmds));
			if (!t->cmds)
				die("out of memory");
		}
		t->cmds[t->ncmds++] = c;
		t->segs[t->nsegs - 1].end = t->ncmds;
	}
	for (k = 0; k < t->nsegs; k++)
		t->phases[t->segs[k].phase].ops +=
			t->segs[k].end - t->segs[k].start;
	t->capacity = max_t(u64, PAGEALLOC_CHUNK_PAGES,
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
	size_t len;
	char *text;
	int i;

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
	text = read_all(path, &len);
	parse(&t, text);
	free(text);
	cur_trace = &t;
	if (reps)
		bench(&t, reps, budget_ms * 1000000ULL);
	else
		replay(&t);
	if (fflush(stdout) || ferror(stdout))
		die("write error");
	return 0;
}
