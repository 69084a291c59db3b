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
 *	alloc N		print "P S": base page, scavenged pages among the N;
 *			"fail" when there is no room
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
#include <time.h>

#include "pagealloc.h"

#define PROG			"pagealloc-replay"
#define DEFAULT_REPS		3
#define MSG_LEN			160
/* Longest piece of a bad token quoted back in a message. */
#define TOKEN_QUOTE		40

enum op {
	OP_GROW,
	OP_TAKE,
	OP_DIRTY,
	OP_ALLOC,
	OP_FREE,
	OP_CHUNKSUM,
	OP_SCAVENGE,
	OP_STATE,
	OP_PHASE,
};

static const struct {
	const char *name;
	unsigned int nargs;
} ops[] = {
	[OP_GROW]	= { "grow", 2 },
	[OP_TAKE]	= { "take", 2 },
	[OP_DIRTY]	= { "dirty", 2 },
	[OP_ALLOC]	= { "alloc", 1 },
	[OP_FREE]	= { "free", 2 },
	[OP_CHUNKSUM]	= { "chunksum", 1 },
	[OP_SCAVENGE]	= { "scavenge", 1 },
	[OP_STATE]	= { "state", 2 },
	[OP_PHASE]	= { "phase", 1 },
};

/* One parsed command; @phase is the phase it is timed in (or starts). */
struct cmd {
	enum op op;
	unsigned int phase;
	u64 arg[2];
};

struct phase {
	char *name;
	u64 ops;
	u64 ns;
	u64 best_ns;
};

/*
 * A parsed trace. When a line is malformed, @cmds holds the commands of the
 * lines before it, @bad_line is its number and @bad_msg says what is wrong.
 */
struct trace {
	struct cmd *cmds;
	size_t ncmds;
	size_t cmds_cap;
	struct phase *phases;
	unsigned int nphases;
	unsigned int phases_cap;
	u64 capacity;
	unsigned long bad_line;
	char bad_msg[MSG_LEN];
};

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
		"  alloc N       print \"P S\" (base, scavenged pages)\n"
		"                or \"fail\"\n"
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

static void *xrealloc(void *p, size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size) {
		fprintf(stderr, PROG ": out of memory\n");
		exit(1);
	}
	p = realloc(p, n * size);
	if (!p) {
		fprintf(stderr, PROG ": out of memory\n");
		exit(1);
	}
	return p;
}

static char *read_all(FILE *f, size_t *len)
{
	size_t cap = 1 << 16, n = 0, got;
	char *buf = xrealloc(NULL, cap, 1);

	for (;;) {
		if (n == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap, 1);
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, PROG ": cannot read the trace\n");
		exit(1);
	}
	*len = n;
	return buf;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Parse a plain decimal u64: digits only, no sign, no overflow. */
static bool parse_u64(const char *s, size_t len, u64 *val)
{
	u64 v = 0;
	size_t i;

	if (!len)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		if (check_mul_overflow(v, (u64)10, &v) ||
		    check_add_overflow(v, (u64)(s[i] - '0'), &v))
			return false;
	}
	*val = v;
	return true;
}

static unsigned int find_phase(struct trace *t, const char *name,
			       size_t len)
{
	struct phase *ph;
	unsigned int i;

	for (i = 0; i < t->nphases; i++) {
		if (strlen(t->phases[i].name) == len &&
		    !memcmp(t->phases[i].name, name, len))
			return i;
	}
	if (t->nphases == t->phases_cap) {
		t->phases_cap = t->phases_cap ? 2 * t->phases_cap : 8;
		t->phases = xrealloc(t->phases, t->phases_cap,
				     sizeof(*t->phases));
	}
	ph = &t->phases[t->nphases];
	memset(ph, 0, sizeof(*ph));
	ph->name = xrealloc(NULL, len + 1, 1);
	memcpy(ph->name, name, len);
	ph->name[len] = '\0';
	return t->nphases++;
}

static void add_cmd(struct trace *t, const struct cmd *c)
{
	if (t->ncmds == t->cmds_cap) {
		t->cmds_cap = t->cmds_cap ? 2 * t->cmds_cap : 1024;
		t->cmds = xrealloc(t->cmds, t->cmds_cap, sizeof(*t->cmds));
	}
	t->cmds[t->ncmds++] = *c;
}

/*
 * Parse one line (without its newline) into @c. Returns 1 for a command,
 * 0 for a blank or comment line, -1 (with t->bad_msg set) when malformed.
 */
static int parse_line(struct trace *t, const char *s, size_t len,
		      unsigned int *cur_phase, struct cmd *c)
{
	const char *tok[4];
	size_t toklen[4];
	unsigned int ntok = 0, i, nargs;
	const char *hash = memchr(s, '#', len);
	size_t pos = 0;

	if (hash)
		len = hash - s;
	while (pos < len) {
		while (pos < len && is_space(s[pos]))
			pos++;
		if (pos == len)
			break;
		if (ntok < ARRAY_SIZE(tok)) {
			tok[ntok] = s + pos;
			toklen[ntok] = 0;
		}
		while (pos < len && !is_space(s[pos])) {
			if (ntok < ARRAY_SIZE(tok))
				toklen[ntok]++;
			pos++;
		}
		ntok++;
	}
	if (!ntok)
		return 0;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		if (strlen(ops[i].name) == toklen[0] &&
		    !memcmp(ops[i].name, tok[0], toklen[0]))
			break;
	}
	if (i == ARRAY_SIZE(ops)) {
		snprintf(t->bad_msg, sizeof(t->bad_msg),
			 "unknown command '%.*s'",
			 (int)min_t(size_t, toklen[0], TOKEN_QUOTE), tok[0]);
		return -1;
	}
	nargs = ops[i].nargs;
	if (ntok - 1 != nargs) {
		snprintf(t->bad_msg, sizeof(t->bad_msg),
			 "'%s' takes %u argument%s, got %u", ops[i].name,
			 nargs, nargs == 1 ? "" : "s", ntok - 1);
		return -1;
	}
	memset(c, 0, sizeof(*c));
	c->op = i;
	if (c->op == OP_PHASE) {
		c->phase = find_phase(t, tok[1], toklen[1]);
		*cur_phase = c->phase;
		return 1;
	}
	for (i = 0; i < nargs; i++) {
		if (!parse_u64(tok[i + 1], toklen[i + 1], &c->arg[i])) {
			snprintf(t->bad_msg, sizeof(t->bad_msg),
				 "bad number '%.*s'",
				 (int)min_t(size_t, toklen[i + 1], TOKEN_QUOTE),
				 tok[i + 1]);
			return -1;
		}
	}
	/* Commands before the first marker are timed as phase "all". */
	if (*cur_phase == ~0U)
		*cur_phase = find_phase(t, "all", 3);
	c->phase = *cur_phase;
	t->phases[c->phase].ops++;
	return 1;
}

/*
 * Parse the whole input, stopping at the first malformed line, and size the
 * allocator for the largest grow that can succeed.
 */
static void parse_trace(struct trace *t, const char *buf, size_t len)
{
	unsigned int cur_phase = ~0U;
	unsigned long line = 0;
	size_t pos = 0;
	struct cmd c;
	u64 end;

	memset(t, 0, sizeof(*t));
	t->capacity = PAGEALLOC_CHUNK_PAGES;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		int ret;

		line++;
		ret = parse_line(t, buf + pos, llen, &cur_phase, &c);
		if (ret < 0) {
			t->bad_line = line;
			return;
		}
		if (ret > 0) {
			add_cmd(t, &c);
			if (c.op == OP_GROW &&
			    !check_add_overflow(c.arg[0], c.arg[1], &end) &&
			    end <= PAGEALLOC_MAX_PAGES && end > t->capacity)
				t->capacity = end;
		}
		pos += llen + 1;
	}
}

static void free_trace(struct trace *t)
{
	unsigned int i;

	for (i = 0; i < t->nphases; i++)
		free(t->phases[i].name);
	free(t->phases);
	free(t->cmds);
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

/* First index in [from, to) whose bit equals @set, or @to. */
static unsigned int next_bit(const u64 *bits, unsigned int from,
			     unsigned int to, bool set)
{
	while (from < to) {
		u64 w = bits[from / 64];

		if (!set)
			w = ~w;
		w &= ~0ULL << (from % 64);
		if (w)
			return min_t(unsigned int,
				     from / 64 * 64 + __ffs64(w), to);
		from = (from / 64 + 1) * 64;
	}
	return to;
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
		unsigned int lo, hi, i, j;
		const u64 *bits;

		if (!pagealloc_chunk_grown(pa, c))
			continue;
		chunk = pagealloc_chunk(pa, c);
		if (!chunk)
			continue;
		bits = scav ? chunk->scav : chunk->alloc;
		lo = start > base ? start - base : 0;
		hi = min_t(u64, end - base, PAGEALLOC_CHUNK_PAGES);
		for (i = lo; i < hi; i = j) {
			i = next_bit(bits, i, hi, true);
			if (i == hi)
				break;
			j = next_bit(bits, i, hi, false);
			if (run_end == base + i && run_end != run_start) {
				run_end = base + j;
				continue;
			}
			if (run_end != run_start)
				print_run(print, run_start, run_end);
			run_start = base + i;
			run_end = base + j;
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

static void run_cmd(struct pagealloc *pa, const struct cmd *c, bool print)
{
	u64 a = c->arg[0], n = c->arg[1], base, scav, sum, end = 0;
	int err = 0;

	switch (c->op) {
	case OP_GROW:
		err = pagealloc_grow(pa, a, n);
		break;
	case OP_TAKE:
		err = pagealloc_take(pa, a, n);
		break;
	case OP_DIRTY:
		err = pagealloc_dirty(pa, a, n);
		break;
	case OP_FREE:
		err = pagealloc_free(pa, a, n);
		break;
	case OP_ALLOC:
		err = pagealloc_alloc(pa, a, &base, &scav);
		if (err == -ENOMEM) {
			err = 0;
			if (print)
				puts("fail");
		} else if (!err && print) {
			printf("%llu %llu\n", (unsigned long long)base,
			       (unsigned long long)scav);
		}
		break;
	case OP_CHUNKSUM:
		sum = 0;
		if (a < pa->nchunks && pagealloc_chunk_grown(pa, a))
			sum = pagealloc_chunk_summary(pa, a);
		if (print)
			printf("%llu %llu %llu\n",
			       (unsigned long long)pagealloc_sum_start(sum),
			       (unsigned long long)pagealloc_sum_max(sum),
			       (unsigned long long)pagealloc_sum_end(sum));
		break;
	case OP_SCAVENGE:
		scav = 0;
		err = pagealloc_scavenge(pa, a, &scav);
		if (!err && print)
			printf("%llu\n", (unsigned long long)scav);
		break;
	case OP_STATE:
		if (!n)
			err = -EINVAL;
		else if (check_add_overflow(a, n, &end))
			err = -EOVERFLOW;
		if (err)
			break;
		state_line(pa, "used", a, end, false, print);
		state_line(pa, "scav", a, end, true, print);
		break;
	case OP_PHASE:
		break;
	}
	if (err)
		print_error(print, err);
}

static int replay(struct trace *t)
{
	struct pagealloc pa;
	size_t i;

	init_alloc(&pa, t->capacity);
	for (i = 0; i < t->ncmds; i++)
		run_cmd(&pa, &t->cmds[i], true);
	pagealloc_destroy(&pa);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, PROG ": cannot write the output\n");
		return 1;
	}
	if (t->bad_line) {
		fprintf(stderr, PROG ": line %lu: %s\n", t->bad_line,
			t->bad_msg);
		return 2;
	}
	return 0;
}

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int bench(struct trace *t, unsigned long reps)
{
	struct pagealloc pa;
	unsigned long rep;
	unsigned int p;
	size_t i, j;
	u64 bytes, pages;
	double per_gib;

	for (rep = 0; rep < reps; rep++) {
		if (rep)
			pagealloc_destroy(&pa);
		init_alloc(&pa, t->capacity);
		for (p = 0; p < t->nphases; p++)
			t->phases[p].ns = 0;
		for (i = 0; i < t->ncmds; i = j) {
			u64 t0, t1;

			if (t->cmds[i].op == OP_PHASE) {
				j = i + 1;
				continue;
			}
			t0 = now_ns();
			for (j = i; j < t->ncmds && t->cmds[j].op != OP_PHASE;
			     j++)
				run_cmd(&pa, &t->cmds[j], false);
			t1 = now_ns();
			t->phases[t->cmds[i].phase].ns += t1 - t0;
		}
		for (p = 0; p < t->nphases; p++) {
			if (!rep || t->phases[p].ns < t->phases[p].best_ns)
				t->phases[p].best_ns = t->phases[p].ns;
		}
	}

	for (p = 0; p < t->nphases; p++) {
		const struct phase *ph = &t->phases[p];

		printf("phase %s ops=%llu ns=%llu ns_per_op=%.1f\n", ph->name,
		       (unsigned long long)ph->ops,
		       (unsigned long long)ph->best_ns,
		       ph->ops ? (double)ph->best_ns / ph->ops : 0.0);
	}
	bytes = pagealloc_metadata_bytes(&pa);
	pages = pa.grown_pages;
	per_gib = pages ? (double)bytes * (1 << 30) / ((double)pages * 4096) :
			  0.0;
	printf("metadata bytes=%llu pages=%llu bytes_per_gib=%.1f\n",
	       (unsigned long long)bytes, (unsigned long long)pages, per_gib);
	pagealloc_destroy(&pa);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, PROG ": cannot write the output\n");
		return 1;
	}
	return 0;
}

static bool parse_reps(const char *s, unsigned long *reps)
{
	u64 v;

	if (!parse_u64(s, strlen(s), &v) || !v || v > ULONG_MAX)
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

	buf = read_all(stdin, &len);
	parse_trace(&t, buf, len);
	free(buf);
	if (do_bench) {
		if (t.bad_line) {
			fprintf(stderr, PROG ": line %lu: %s\n", t.bad_line,
				t.bad_msg);
			ret = 2;
		} else {
			ret = bench(&t, reps);
		}
	} else {
		ret = replay(&t);
	}
	free_trace(&t);
	return ret;

bad_usage:
	print_usage(stderr);
	return 2;
}
