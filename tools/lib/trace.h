/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace: the page allocator trace language that tools/pagealloc-replay and
 * tools/bench/genpool-replay read, one command a line:
 *
 *	grow P N, take P N, dirty P N, alloc N [A], free P N, chunksum C,
 *	scavenge N, state P N, phase NAME
 *
 * with decimal numbers and "#" comments. "alloc N A" asks for N pages at
 * a page that is a multiple of A (a power of two; 0 or 1, or no A, mean
 * no alignment): pagealloc_alloc_aligned() with the allocator's origin
 * left at 0 in pagealloc-replay, and gen_pool_first_fit_align() on a pool
 * that starts at page 0 in genpool-replay, so that both align page
 * numbers alike and return the same pages. An A that is not a power of
 * two is the allocator's to reject. This is its one parser, with what
 * goes around it: reading a trace into memory, and timing its phases.
 * What each command does is up to the tool that runs it.
 */
#ifndef _TOOLS_LIB_TRACE_H
#define _TOOLS_LIB_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <linux/types.h>

enum trace_op {
	TRACE_GROW,
	TRACE_TAKE,
	TRACE_DIRTY,
	TRACE_ALLOC,
	TRACE_FREE,
	TRACE_CHUNKSUM,
	TRACE_SCAVENGE,
	TRACE_STATE,
	TRACE_PHASE,
};

/* Commands in the language; also trace_error::op for an unknown one. */
#define TRACE_NR_OPS		(TRACE_PHASE + 1)

/* Tokens of a malformed line kept in struct trace_error. */
#define TRACE_ERR_TOKENS	4
#define TRACE_ERR_MSG_LEN	160

/**
 * struct trace_cmd - one command of a trace
 * @arg: its numbers, in order (unused ones are 0, as are optional ones
 *	left out; none for a phase)
 * @op: the command
 * @line: the line it is on, counting from 1
 */
struct trace_cmd {
	u64 arg[2];
	enum trace_op op;
	unsigned int line;
};

/**
 * struct trace_segment - commands between two phase markers
 * @start: index of its first command in trace::cmds
 * @end: index after its last command; never @start
 * @phase: the phase it is timed in, an index into trace::phases
 */
struct trace_segment {
	size_t start;
	size_t end;
	unsigned int phase;
};

/**
 * struct trace_phase - a phase: the commands after its "phase NAME" lines
 * @name: NAME; "all" for the commands before the first marker
 * @ops: its commands (markers excluded)
 * @ns: time its commands took in this run of trace_bench()
 * @timed: how many of them that covers
 * @partial: this run timed only @timed commands of the @ops
 * @have_best: a run has finished
 * @best_ns: @ns of the best run so far
 * @best_timed: @timed of that run
 * @best_partial: @partial of that run
 */
struct trace_phase {
	char *name;
	u64 ops;
	u64 ns;
	u64 timed;
	bool partial;
	bool have_best;
	u64 best_ns;
	u64 best_timed;
	bool best_partial;
};

/**
 * struct trace_error - the first malformed line of a trace
 * @line: its number, counting from 1; 0 when every line is well formed
 * @msg: what is wrong with it ("unknown command 'X'", "'alloc' takes 1
 *	argument, got 2", "bad number 'X'")
 * @op: its command, or %TRACE_NR_OPS when the command is unknown
 * @ntok: its words, comment excluded
 * @tok: the first %TRACE_ERR_TOKENS of them, pointing into the parsed
 *	buffer (valid as long as it is)
 * @toklen: their lengths
 */
struct trace_error {
	unsigned long line;
	char msg[TRACE_ERR_MSG_LEN];
	unsigned int op;
	unsigned int ntok;
	const char *tok[TRACE_ERR_TOKENS];
	size_t toklen[TRACE_ERR_TOKENS];
};

/**
 * struct trace - a parsed trace
 * @cmds: the commands, phase markers included, in order
 * @ncmds: their number
 * @cmds_cap: room in @cmds
 * @segs: the commands other than markers, as runs between markers
 * @nsegs: their number
 * @segs_cap: room in @segs
 * @phases: the phases, in order of first appearance; a phase named twice
 *	is one phase
 * @nphases: their number
 * @phases_cap: room in @phases
 * @bad: the first malformed line; parsing stops there, so that the
 *	commands are those of the lines before it
 */
struct trace {
	struct trace_cmd *cmds;
	size_t ncmds;
	size_t cmds_cap;
	struct trace_segment *segs;
	size_t nsegs;
	size_t segs_cap;
	struct trace_phase *phases;
	unsigned int nphases;
	size_t phases_cap;
	struct trace_error bad;
};

/**
 * struct trace_bench_ops - how trace_bench() runs a trace
 * @start: set up a fresh run (an allocator in its initial state)
 * @segment: run the commands of a segment on it, add the time they take
 *	to the phase's @ns and their number to its @timed; a segment timed
 *	only in part sets the phase's @partial
 */
struct trace_bench_ops {
	void (*start)(void *ctx);
	void (*segment)(void *ctx, const struct trace *t,
			const struct trace_segment *seg,
			struct trace_phase *ph);
};

const char *trace_op_name(enum trace_op op);
unsigned int trace_op_nargs(enum trace_op op);
unsigned int trace_op_optional(enum trace_op op);
bool trace_parse_u64(const char *s, size_t len, u64 *val);
int trace_read(FILE *f, char **buf, size_t *len);
int trace_parse(struct trace *t, const char *buf, size_t len);
void trace_free(struct trace *t);
u64 trace_now_ns(void);
void trace_bench(struct trace *t, unsigned long reps,
		 const struct trace_bench_ops *ops, void *ctx);

#endif /* _TOOLS_LIB_TRACE_H */
