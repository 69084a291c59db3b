// SPDX-License-Identifier: GPL-2.0
/*
 * trace: the page allocator trace language that tools/pagealloc-replay and
 * tools/bench/genpool-replay read (see trace.h): its parser, the reading of
 * a trace into memory and the timing of its phases.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/kernel.h>

#include "trace.h"

/* Longest piece of a bad token quoted back in a message. */
#define TOKEN_QUOTE		40

static const struct {
	const char *name;
	unsigned int nargs;
	unsigned int opt;
} ops[TRACE_NR_OPS] = {
	[TRACE_GROW]		= { "grow", 2 },
	[TRACE_TAKE]		= { "take", 2 },
	[TRACE_DIRTY]		= { "dirty", 2 },
	[TRACE_ALLOC]		= { "alloc", 1, 1 },
	[TRACE_FREE]		= { "free", 2 },
	[TRACE_CHUNKSUM]	= { "chunksum", 1 },
	[TRACE_SCAVENGE]	= { "scavenge", 1 },
	[TRACE_STATE]		= { "state", 2 },
	[TRACE_PHASE]		= { "phase", 1 },
};

/**
 * trace_op_name() - the name of a command
 * @op: the command
 *
 * Return: its name in the language, e.g. "alloc".
 */
const char *trace_op_name(enum trace_op op)
{
	return ops[op].name;
}

/**
 * trace_op_nargs() - how many arguments a command takes
 * @op: the command
 *
 * Return: the number of its arguments (numbers, or a name for "phase"),
 * not counting the optional ones.
 */
unsigned int trace_op_nargs(enum trace_op op)
{
	return ops[op].nargs;
}

/**
 * trace_op_optional() - how many optional arguments a command takes
 * @op: the command
 *
 * Optional arguments follow the others; one that is left out is 0 in
 * trace_cmd::arg.
 *
 * Return: their number: 1 for "alloc" (the alignment), else 0.
 */
unsigned int trace_op_optional(enum trace_op op)
{
	return ops[op].opt;
}

/*
 * Make room for one more element in @arr, of @cap elements of @size bytes
 * holding @n: return @arr, or the larger array (@cap updated), or NULL when
 * there is no memory (@arr and @cap left alone).
 */
static void *grow_array(void *arr, size_t *cap, size_t n, size_t size,
			size_t first)
{
	size_t new_cap = *cap ? 2 * *cap : first;

	if (n < *cap)
		return arr;
	if (new_cap < *cap || new_cap > SIZE_MAX / size)
		return NULL;
	arr = realloc(arr, new_cap * size);
	if (arr)
		*cap = new_cap;
	return arr;
}

/**
 * trace_read() - read a whole trace into memory
 * @f: the stream to read to its end
 * @buf: set to the text, which is followed by a NUL byte; free() it
 * @len: set to the length of the text
 *
 * Return: 0, -ENOMEM when there is no memory for it, -EIO on a read error.
 */
int trace_read(FILE *f, char **buf, size_t *len)
{
	size_t cap = 1 << 16, n = 0, got;
	char *text = malloc(cap + 1), *p;

	if (!text)
		return -ENOMEM;
	for (;;) {
		if (n == cap) {
			if (cap > (SIZE_MAX - 1) / 2)
				goto nomem;
			p = realloc(text, 2 * cap + 1);
			if (!p)
				goto nomem;
			text = p;
			cap *= 2;
		}
		got = fread(text + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(text);
		return -EIO;
	}
	text[n] = '\0';
	*buf = text;
	*len = n;
	return 0;

nomem:
	free(text);
	return -ENOMEM;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/**
 * trace_parse_u64() - parse a number of the language
 * @s: its text, not NUL-terminated
 * @len: the length of the text
 * @val: set to the number
 *
 * The language's numbers are plain decimal: digits only, no sign, no
 * overflow.
 *
 * Return: true when @s is such a number.
 */
bool trace_parse_u64(const char *s, size_t len, u64 *val)
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

/* The index of the phase @name, added if new; -ENOMEM without memory. */
static long find_phase(struct trace *t, const char *name, size_t len)
{
	struct trace_phase *ph;
	unsigned int i;

	for (i = 0; i < t->nphases; i++) {
		if (strlen(t->phases[i].name) == len &&
		    !memcmp(t->phases[i].name, name, len))
			return i;
	}
	if (t->nphases == UINT_MAX)
		return -ENOMEM;
	ph = grow_array(t->phases, &t->phases_cap, t->nphases, sizeof(*ph), 8);
	if (!ph)
		return -ENOMEM;
	t->phases = ph;
	ph = &t->phases[t->nphases];
	memset(ph, 0, sizeof(*ph));
	ph->name = malloc(len + 1);
	if (!ph->name)
		return -ENOMEM;
	memcpy(ph->name, name, len);
	ph->name[len] = '\0';
	return t->nphases++;
}

/* Append @c, which is in phase @phase unless it is a marker. */
static int add_cmd(struct trace *t, const struct trace_cmd *c,
		   unsigned int phase)
{
	struct trace_segment *seg;
	struct trace_cmd *cmds;

	cmds = grow_array(t->cmds, &t->cmds_cap, t->ncmds, sizeof(*cmds),
			  1024);
	if (!cmds)
		return -ENOMEM;
	t->cmds = cmds;
	if (c->op != TRACE_PHASE) {
		/* A new segment after a marker (or at the first command). */
		if (!t->nsegs || t->segs[t->nsegs - 1].end != t->ncmds) {
			seg = grow_array(t->segs, &t->segs_cap, t->nsegs,
					 sizeof(*seg), 64);
			if (!seg)
				return -ENOMEM;
			t->segs = seg;
			seg = &t->segs[t->nsegs++];
			seg->start = t->ncmds;
			seg->phase = phase;
		}
		t->segs[t->nsegs - 1].end = t->ncmds + 1;
		t->phases[phase].ops++;
	}
	t->cmds[t->ncmds++] = *c;
	return 0;
}

/*
 * Parse one line (without its newline) into @c and the phase it is in.
 * Returns 1 for a command, 0 for a blank or comment line, -EINVAL (with
 * t->bad filled in but for its line number) when it is malformed, -ENOMEM.
 */
static int parse_line(struct trace *t, const char *s, size_t len,
		      long *cur_phase, struct trace_cmd *c)
{
	struct trace_error *e = &t->bad;
	const char **tok = e->tok;
	size_t *toklen = e->toklen;
	const char *hash = memchr(s, '#', len);
	unsigned int ntok = 0, i, nargs;
	size_t pos = 0;
	long phase;

	if (hash)
		len = hash - s;
	while (pos < len) {
		while (pos < len && is_space(s[pos]))
			pos++;
		if (pos == len)
			break;
		if (ntok < TRACE_ERR_TOKENS) {
			tok[ntok] = s + pos;
			toklen[ntok] = 0;
		}
		while (pos < len && !is_space(s[pos])) {
			if (ntok < TRACE_ERR_TOKENS)
				toklen[ntok]++;
			pos++;
		}
		ntok++;
	}
	if (!ntok)
		return 0;
	e->ntok = ntok;

	for (i = 0; i < TRACE_NR_OPS; i++) {
		if (strlen(ops[i].name) == toklen[0] &&
		    !memcmp(ops[i].name, tok[0], toklen[0]))
			break;
	}
	e->op = i;
	if (i == TRACE_NR_OPS) {
		snprintf(e->msg, sizeof(e->msg), "unknown command '%.*s'",
			 (int)min_t(size_t, toklen[0], TOKEN_QUOTE), tok[0]);
		return -EINVAL;
	}
	nargs = ops[i].nargs;
	if (ntok - 1 < nargs || ntok - 1 > nargs + ops[i].opt) {
		if (ops[i].opt)
			snprintf(e->msg, sizeof(e->msg),
				 "'%s' takes %u to %u arguments, got %u",
				 ops[i].name, nargs, nargs + ops[i].opt,
				 ntok - 1);
		else
			snprintf(e->msg, sizeof(e->msg),
				 "'%s' takes %u argument%s, got %u",
				 ops[i].name, nargs, nargs == 1 ? "" : "s",
				 ntok - 1);
		return -EINVAL;
	}
	nargs = ntok - 1;
	memset(c, 0, sizeof(*c));
	c->op = i;
	if (c->op == TRACE_PHASE) {
		phase = find_phase(t, tok[1], toklen[1]);
		if (phase < 0)
			return phase;
		*cur_phase = phase;
		return 1;
	}
	for (i = 0; i < nargs; i++) {
		if (!trace_parse_u64(tok[i + 1], toklen[i + 1], &c->arg[i])) {
			snprintf(e->msg, sizeof(e->msg), "bad number '%.*s'",
				 (int)min_t(size_t, toklen[i + 1], TOKEN_QUOTE),
				 tok[i + 1]);
			return -EINVAL;
		}
	}
	/* Commands before the first marker are timed as phase "all". */
	if (*cur_phase < 0) {
		phase = find_phase(t, "all", 3);
		if (phase < 0)
			return phase;
		*cur_phase = phase;
	}
	return 1;
}

/**
 * trace_parse() - parse a trace
 * @t: the trace to fill in
 * @buf: its text: lines ending in a newline (but maybe the last)
 * @len: the length of the text
 *
 * Parses every line up to the first malformed one, which stops the parse
 * and is described in @t->bad. Each line holds a command and its arguments
 * separated by blanks, or nothing; "#" starts a comment.
 *
 * Return: 0, or -ENOMEM when there is no memory for the trace (which must
 * then be freed all the same).
 */
int trace_parse(struct trace *t, const char *buf, size_t len)
{
	unsigned long line = 0;
	long cur_phase = -1;
	struct trace_cmd c;
	size_t pos = 0;
	int ret;

	memset(t, 0, sizeof(*t));
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - (buf + pos)) : len - pos;

		line++;
		ret = parse_line(t, buf + pos, llen, &cur_phase, &c);
		if (ret == -EINVAL) {
			t->bad.line = line;
			return 0;
		}
		if (ret < 0)
			return ret;
		if (ret > 0) {
			c.line = line;
			ret = add_cmd(t, &c, cur_phase);
			if (ret)
				return ret;
		}
		pos += llen + 1;
	}
	memset(&t->bad, 0, sizeof(t->bad));
	return 0;
}

/**
 * trace_free() - free what trace_parse() allocated
 * @t: the trace
 */
void trace_free(struct trace *t)
{
	unsigned int i;

	for (i = 0; i < t->nphases; i++)
		free(t->phases[i].name);
	free(t->phases);
	free(t->segs);
	free(t->cmds);
	memset(t, 0, sizeof(*t));
}

/**
 * trace_now_ns() - the time, for measuring intervals
 *
 * Return: CLOCK_MONOTONIC in nanoseconds.
 */
u64 trace_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static double per_op(u64 ns, u64 ops)
{
	return ops ? (double)ns / ops : 0;
}

/**
 * trace_bench() - time a trace phase by phase, best of several runs
 * @t: the trace, well formed
 * @reps: how many runs
 * @ops: how to run it
 * @ctx: passed to @ops
 *
 * Each run starts afresh (@ops->start) and runs every segment in order
 * (@ops->segment), which times it. Then each phase keeps its best run so
 * far (best_ns, best_timed and best_partial of struct trace_phase): a run
 * that timed all of the phase beats one that timed it in part; then the
 * one with the lowest time per timed command wins, the earliest on a tie.
 */
void trace_bench(struct trace *t, unsigned long reps,
		 const struct trace_bench_ops *ops, void *ctx)
{
	unsigned long rep;
	unsigned int k;
	size_t i;

	for (rep = 0; rep < reps; rep++) {
		ops->start(ctx);
		for (k = 0; k < t->nphases; k++) {
			t->phases[k].ns = 0;
			t->phases[k].timed = 0;
			t->phases[k].partial = false;
		}
		for (i = 0; i < t->nsegs; i++)
			ops->segment(ctx, t, &t->segs[i],
				     &t->phases[t->segs[i].phase]);
		for (k = 0; k < t->nphases; k++) {
			struct trace_phase *ph = &t->phases[k];
			bool better;

			if (!ph->have_best || ph->partial != ph->best_partial)
				better = !ph->have_best || !ph->partial;
			else
				better = per_op(ph->ns, ph->timed) <
					 per_op(ph->best_ns, ph->best_timed);
			if (better) {
				ph->have_best = true;
				ph->best_ns = ph->ns;
				ph->best_timed = ph->timed;
				ph->best_partial = ph->partial;
			}
		}
	}
}
