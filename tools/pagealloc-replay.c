// SPDX-License-Identifier: GPL-2.0
/*
 * pagealloc-replay: run a trace of page allocator calls read from standard
 * input on a fresh userspace allocator and print what the allocator answers,
 * one line per observing command, so that traces with an expected output
 * work as regression tests (see tools/testing/run-traces). With --bench the
 * trace is run several times without output and timed phase by phase.
 *
 * The trace language, one command a line, numbers in decimal:
 *
 *	grow P N	make pages [P, P+N) known
 *	take P N	mark [P, P+N) allocated (setup hook)
 *	dirty P N	mark [P, P+N) not scavenged (setup hook)
 *	alloc N [A]	print "P S": base page, scavenged pages among the N;
 *			"fail" when there is no room; with A, the base is a
 *			multiple of A (a power of two; 0 and 1 mean none):
 *			pagealloc_alloc_aligned(), the origin left at 0
 *	free P N	free [P, P+N)
 *	chunksum C	print "start max end" of chunk C's summary
 *	scavenge N	scavenge up to N pages, print how many were
 *	state P N	print "used" and "scav" lines, each with " a+n" for
 *			every maximal run of such pages inside [P, P+N)
 *	phase NAME	benchmark marker, no output
 *
 * "#" starts a comment, blank lines are ignored. A call the allocator
 * rejects prints "error <reason>" and the trace goes on; a malformed line
 * stops the program with status 2 after the lines before it have run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pagealloc.h"
#include "lib/trace.h"

#define PROG			"pagealloc-replay"
#define DEFAULT_REPS		3

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [--bench [REPS]] < TRACE\n"
		"\n"
		"Run a trace of page allocator calls from standard input on\n"
		"a fresh allocator and print the answers.\n"
		"\n"
		"  grow P N      make pages [P, P+N) known (multiples of %u)\n"
		"  take P N      mark [P, P+N) allocated\n"
		"  dirty P N     mark [P, P+N) not scavenged\n"
		"  alloc N [A]   print \"P S\" (base, scavenged pages)\n"
		"                or \"fail\"; the base a multiple of A\n"
		"                (a power of two) if A is given\n"
		"  free P N      free [P, P+N)\n"
		"  chunksum C    print \"start max end\" of chunk C\n"
		"  scavenge N    scavenge up to N pages, print how many\n"
		"  state P N     print the used and scav runs in [P, P+N)\n"
		"  phase NAME    benchmark marker\n"
		"\n"
		"Numbers are decimal, '#' starts a comment. Rejected\n"
		"calls print \"error <reason>\"; a malformed line ends\n"
		"the run with status 2.\n"
		"\n"
		"  --bench [REPS]  run the trace REPS times (default %d)\n"
		"                  without output; print per phase the\n"
		"                  best time of its commands over the\n"
		"                  runs, then the metadata footprint of\n"
		"                  the final allocator\n"
		"  -h, --help      show this help\n",
		(unsigned int)PAGEALLOC_CHUNK_PAGES, DEFAULT_REPS);
}

static void init_alloc(struct pagealloc *pa, u64 capacity)
{
	int err = pagealloc_init(pa, capacity);

	if (err) {
		fprintf(stderr, PROG ": cannot set up %llu pages: %s\n",
			(unsigned long long)capacity, pagealloc_strerror(err));
		exit(1);
	}
}

static void print_run(bool print, u64 start, u64 end)
{
	if (print)
		printf(" %llu+%llu", (unsigned long long)start,
		       (unsigned long long)(end - start));
}

/*
 * Print @word and the maximal runs of allocated (or scavenged, if @scav)
 * pages inside [start, end), merging runs across chunk boundaries.
 * Never-grown chunks contribute nothing.
 */
static void state_line(const struct pagealloc *pa, const char *word,
		       u64 start, u64 end, bool scav, bool print)
{
	u64 c, last, run_start = 0, run_end = 0;

	if (print)
		fputs(word, stdout);
	last = min(pa->end_chunk, pa->nchunks);
	last = min(last, ((end - 1) >> PAGEALLOC_CHUNK_SHIFT) + 1);
	for (c = start >> PAGEALLOC_CHUNK_SHIFT; c < last; c++) {
		u64 base = c << PAGEALLOC_CHUNK_SHIFT;
		const struct pagealloc_chunk *chunk;
		u64 lo, hi, i, n;
		const u64 *bits;

		if (!pagealloc_chunk_grown(pa, c))
			continue;
		chunk = pagealloc_chunk(pa, c);
		if (!chunk)
			continue;
		bits = scav ? chunk->scav : chunk->alloc;
		lo = start > base ? start - base : 0;
		hi = min_t(u64, end - base, PAGEALLOC_CHUNK_PAGES);
		for (i = lo; pagealloc_next_run(bits, hi, &i, &n); i += n) {
			if (run_end == base + i && run_end != run_start) {
				run_end = base + i + n;
				continue;
			}
			if (run_end != run_start)
				print_run(print, run_start, run_end);
			run_start = base + i;
			run_end = base + i + n;
		}
	}
	if (run_end != run_start)
		print_run(print, run_start, run_end);
	if (print)
		putchar('\n');
}

static void print_error(bool print, int err)
{
	if (print)
		printf("error %s\n", pagealloc_strerror(err));
}

static void run_cmd(struct pagealloc *pa, const struct trace_cmd *c,
		    bool print)
{
	u64 a = c->arg[0], n = c->arg[1], base, scav, sum, end = 0;
	int err = 0;

	switch (c->op) {
	case TRACE_GROW:
		err = pagealloc_grow(pa, a, n);
		break;
	case TRACE_TAKE:
		err = pagealloc_take(pa, a, n);
		break;
	case TRACE_DIRTY:
		err = pagealloc_dirty(pa, a, n);
		break;
	case TRACE_FREE:
		err = pagealloc_free(pa, a, n);
		break;
	case TRACE_ALLOC:
		/* Without A, n is 0: pagealloc_alloc_dirty(). */
		err = pagealloc_alloc_aligned(pa, a, n, &base, &scav, NULL);
		if (err == -ENOMEM) {
			err = 0;
			if (print)
				puts("fail");
		} else if (!err && print) {
			printf("%llu %llu\n", (unsigned long long)base,
			       (unsigned long long)scav);
		}
		break;
	case TRACE_CHUNKSUM:
		sum = 0;
		if (a < pa->nchunks && pagealloc_chunk_grown(pa, a))
			sum = pagealloc_chunk_summary(pa, a);
		if (print)
			printf("%llu %llu %llu\n",
			       (unsigned long long)pagealloc_sum_start(sum),
			       (unsigned long long)pagealloc_sum_max(sum),
			       (unsigned long long)pagealloc_sum_end(sum));
		break;
	case TRACE_SCAVENGE:
		scav = 0;
		err = pagealloc_scavenge(pa, a, &scav);
		if (!err && print)
			printf("%llu\n", (unsigned long long)scav);
		break;
	case TRACE_STATE:
		if (!n)
			err = -EINVAL;
		else if (check_add_overflow(a, n, &end))
			err = -EOVERFLOW;
		if (err)
			break;
		state_line(pa, "used", a, end, false, print);
		state_line(pa, "scav", a, end, true, print);
		break;
	case TRACE_PHASE:
		break;
	}
	if (err)
		print_error(print, err);
}

/*
 * The allocator's capacity: the end of the largest grow that can succeed,
 * at least one chunk.
 */
static u64 pool_capacity(const struct trace *t)
{
	u64 capacity = PAGEALLOC_CHUNK_PAGES, end;
	size_t i;

	for (i = 0; i < t->ncmds; i++) {
		const struct trace_cmd *c = &t->cmds[i];

		if (c->op == TRACE_GROW &&
		    !check_add_overflow(c->arg[0], c->arg[1], &end) &&
		    end <= PAGEALLOC_MAX_PAGES && end > capacity)
			capacity = end;
	}
	return capacity;
}

static void print_bad_line(const struct trace *t)
{
	fprintf(stderr, PROG ": line %lu: %s\n", t->bad.line, t->bad.msg);
}

static int replay(struct trace *t)
{
	struct pagealloc pa;
	size_t i;

	init_alloc(&pa, pool_capacity(t));
	for (i = 0; i < t->ncmds; i++)
		run_cmd(&pa, &t->cmds[i], true);
	pagealloc_destroy(&pa);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, PROG ": cannot write the output\n");
		return 1;
	}
	if (t->bad.line) {
		print_bad_line(t);
		return 2;
	}
	return 0;
}

/* A run of the benchmark: the allocator, fresh for each run. */
struct bench_run {
	struct pagealloc pa;
	u64 capacity;
	bool live;
};

static void bench_start(void *ctx)
{
	struct bench_run *r = ctx;

	if (r->live)
		pagealloc_destroy(&r->pa);
	init_alloc(&r->pa, r->capacity);
	r->live = true;
}

static void bench_segment(void *ctx, const struct trace *t,
			  const struct trace_segment *seg,
			  struct trace_phase *ph)
{
	struct bench_run *r = ctx;
	u64 t0 = trace_now_ns();
	size_t i;

	for (i = seg->start; i < seg->end; i++)
		run_cmd(&r->pa, &t->cmds[i], false);
	ph->ns += trace_now_ns() - t0;
	ph->timed += seg->end - seg->start;
}

static const struct trace_bench_ops bench_ops = {
	.start = bench_start,
	.segment = bench_segment,
};

static int bench(struct trace *t, unsigned long reps)
{
	struct bench_run r = { .capacity = pool_capacity(t) };
	unsigned int p;
	u64 bytes, pages;
	double per_gib;

	trace_bench(t, reps, &bench_ops, &r);
	for (p = 0; p < t->nphases; p++) {
		const struct trace_phase *ph = &t->phases[p];

		printf("phase %s ops=%llu ns=%llu ns_per_op=%.1f\n", ph->name,
		       (unsigned long long)ph->ops,
		       (unsigned long long)ph->best_ns,
		       ph->ops ? (double)ph->best_ns / ph->ops : 0.0);
	}
	bytes = pagealloc_metadata_bytes(&r.pa);
	pages = r.pa.grown_pages;
	per_gib = pages ? (double)bytes * (1 << 30) / ((double)pages * 4096) :
			  0.0;
	printf("metadata bytes=%llu pages=%llu bytes_per_gib=%.1f\n",
	       (unsigned long long)bytes, (unsigned long long)pages, per_gib);
	pagealloc_destroy(&r.pa);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, PROG ": cannot write the output\n");
		return 1;
	}
	return 0;
}

static bool parse_reps(const char *s, unsigned long *reps)
{
	u64 v;

	if (!trace_parse_u64(s, strlen(s), &v) || !v || v > ULONG_MAX)
		return false;
	*reps = v;
	return true;
}

/**
 * main() - replay a trace read from standard input
 * @argc: number of arguments
 * @argv: the arguments: nothing, -h/--help or --bench [REPS]
 *
 * Return: 0 once the trace has run (even if the allocator rejected some
 * calls), 1 when the allocator cannot be set up or on an I/O error, 2 on a
 * usage error or a malformed trace line.
 */
int main(int argc, char **argv)
{
	unsigned long reps = DEFAULT_REPS;
	bool do_bench = false;
	struct trace t;
	size_t len;
	char *buf;
	int ret;

	if (argc > 1) {
		const char *opt = argv[1];

		if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) {
			if (argc != 2)
				goto bad_usage;
			print_usage(stdout);
			return 0;
		}
		if (!strcmp(opt, "--bench")) {
			do_bench = true;
			if (argc > 3 ||
			    (argc == 3 && !parse_reps(argv[2], &reps)))
				goto bad_usage;
		} else if (!strncmp(opt, "--bench=", 8)) {
			do_bench = true;
			if (argc != 2 || !parse_reps(opt + 8, &reps))
				goto bad_usage;
		} else {
			goto bad_usage;
		}
	}

	ret = trace_read(stdin, &buf, &len);
	if (ret) {
		fprintf(stderr, PROG ": %s\n", ret == -ENOMEM ?
			"out of memory" : "cannot read the trace");
		return 1;
	}
	ret = trace_parse(&t, buf, len);
	free(buf);
	if (ret) {
		fprintf(stderr, PROG ": out of memory\n");
		trace_free(&t);
		return 1;
	}
	if (do_bench) {
		if (t.bad.line) {
			print_bad_line(&t);
			ret = 2;
		} else {
			ret = bench(&t, reps);
		}
	} else {
		ret = replay(&t);
	}
	trace_free(&t);
	return ret;

bad_usage:
	print_usage(stderr);
	return 2;
}
