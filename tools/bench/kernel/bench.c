// SPDX-License-Identifier: GPL-2.0
/*
 * pagealloc_bench: the in-kernel benchmark (make bench-kernel). Its one
 * concern is timing the allocator core, pagealloc, inside a kernel against
 * the kernel's own allocators on the workloads of `make bench`:
 *
 *   pagealloc    pagealloc/pagealloc.c, built into this module unchanged
 *   gen_pool     lib/genalloc.c: gen_pool_create(PAGE_SHIFT) and one chunk
 *                of made-up addresses (gen_pool only does arithmetic on
 *                them), gen_pool_alloc() (first fit, the default) and
 *                gen_pool_free()
 *   alloc_pages  the buddy allocator, alloc_pages() and __free_pages() of
 *                the power-of-two order that holds the pages asked for,
 *                where that order exists (at most 1024 pages) and on
 *                pools small enough to take from real memory
 *
 * The workloads are those of tools/bench/gen-workload.c, with the same
 * seeds and sizes, so the sequences are the same as the traces of
 * `make bench`: W1 fill (alloc 1 page until full, free every page in
 * order), W2 churn at 75% with sizes of 1-512 pages, W3 churn at 60% with
 * sizes log-uniform in 1-4096 pages, W4 a search for 64 pages in a pool
 * of single-page holes (made by filling the pool and freeing the even
 * pages, which the buddy allocator can do too, where make bench takes the
 * odd ones). W1, W2 and W4 run again on a small pool (buddy_mib), with
 * alloc_pages too; W3's largest sizes have no buddy order.
 *
 * Each workload is first generated as a list of operations by running it
 * on a pagealloc, which records where every allocation lands; the list is
 * then replayed on each allocator, timed with ktime_get_ns() around
 * batches of operations, with cond_resched() between batches. gen_pool
 * and pagealloc are both exact first fit, so each allocation must land
 * where the list says (a mismatch is reported). gen_pool's search is
 * linear in the pool's bitmap: each of its phases stops at budget_ms, and
 * the table gives how many operations it timed; a phase that another
 * follows is finished untimed with gen_pool_fixed_alloc() at the recorded
 * addresses.
 *
 * Loading the module does nothing but make /sys/kernel/debug/pagealloc_bench/
 * with two files: a write to "run" runs the benchmark with the module's
 * parameters (given at insmod) and returns when it is done, a minute or
 * so under QEMU's TCG; "table" reads the table of the last run, which
 * also goes to the kernel log. (Not a benchmark in the module's init that
 * fails the load when done: busybox insmod retries a failed finit_module()
 * with init_module(), which would run it twice.)
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/genalloc.h>
#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>

#include "pagealloc.h"
#include "rand.h"

static unsigned int reps = 3;
module_param(reps, uint, 0444);
MODULE_PARM_DESC(reps, "runs of pagealloc and alloc_pages per workload, median shown (1-9, default 3)");

static unsigned int gp_reps = 1;
module_param(gp_reps, uint, 0444);
MODULE_PARM_DESC(gp_reps, "runs of gen_pool per workload, median shown (0-9, default 1)");

static unsigned int budget_ms = 2000;
module_param(budget_ms, uint, 0444);
MODULE_PARM_DESC(budget_ms, "gen_pool time per phase and run, ms (default 2000)");

static unsigned int buddy_mib = 256;
module_param(buddy_mib, uint, 0444);
MODULE_PARM_DESC(buddy_mib, "pool of the alloc_pages workloads, MiB (2-4096, default 256)");

static unsigned int holes_gib = 16;
module_param(holes_gib, uint, 0444);
MODULE_PARM_DESC(holes_gib, "pool of W4, GiB (4-64, default 16)");

static unsigned int churn75_ops = 1000000;
module_param(churn75_ops, uint, 0444);
MODULE_PARM_DESC(churn75_ops, "W2 churn operations (default 10^6)");

static unsigned int churn60_ops = 300000;
module_param(churn60_ops, uint, 0444);
MODULE_PARM_DESC(churn60_ops, "W3 churn operations (default 3*10^5)");

static unsigned int search_ops = 20000;
module_param(search_ops, uint, 0444);
MODULE_PARM_DESC(search_ops, "W4 rounds of alloc 64, free 64 (default 20000)");

static unsigned int workloads = 0x7f;
module_param(workloads, uint, 0444);
MODULE_PARM_DESC(workloads, "bit i runs row group i of the table (default 0x7f: all)");

#define GIB_PAGES		(1ULL << (30 - PAGE_SHIFT))
#define MIB_PAGES		(1ULL << (20 - PAGE_SHIFT))

/* gen_pool's made-up addresses: any page-aligned range not at 0. */
#define GP_BASE			BIT(40)

/*
 * An operation of a list, one u64: the type in the top two bits; an
 * allocation carries its size, whether it fails and the first page it
 * got; a free the index of the live allocation it frees.
 */
#define OP_TYPE_SHIFT		62
#define OP_ALLOC		0ULL
#define OP_FREE			1ULL	/* free live[k], move the last into k */
#define OP_FREE_KEEP		2ULL	/* free live[k], leave the hole */
#define OP_NPAGES_MASK		0xffffULL
#define OP_FAILS		BIT_ULL(16)
#define OP_PAGE_SHIFT		17
#define OP_PAGE_MASK		(BIT_ULL(OP_TYPE_SHIFT - OP_PAGE_SHIFT) - 1)
#define OP_INDEX_MASK		0xffffffffULL

#define MAX_PHASES		2
#define MAX_REPS		9
#define LOG_MAX			4096
#define TABLE_SIZE		8192

/* Batches grow from one operation while a batch takes under this. */
#define BATCH_NS		(1000 * 1000)
#define BATCH_MAX		4096

enum bench_alloc { BA_PA, BA_GP, BA_AP, BA_NR };

enum bench_kind { W_FILL, W_CHURN75, W_CHURN60, W_HOLES };

/* One live allocation: page number, gen_pool address or struct page *. */
struct bench_live {
	unsigned long base;
	unsigned int npages;	/* 0: freed or never allocated */
};

/* A workload's operation list, as generated. */
struct bench_ops {
	u64 *op;
	u64 nops;
	u64 cap;
	u64 pool;
	unsigned int nphases;
	const char *phase[MAX_PHASES];
	u64 start[MAX_PHASES + 1];
};

/* One allocator being replayed on. */
struct bench_state {
	struct pagealloc pa;
	struct gen_pool *gp;
	struct bench_live *live;
	u64 nlive;
	u64 checked;
	u64 mismatches;
	u64 failures;
};

/* One phase of one run. */
struct bench_result {
	u64 ns;
	u64 timed;
};

/* A row group of the table: a workload on a pool, with its results. */
struct bench_workload {
	enum bench_kind kind;
	const char *name;
	u64 pool;
	bool buddy;
	bool ran;
	struct bench_ops ops;
	unsigned int nrep[BA_NR];
	struct bench_result res[BA_NR][MAX_PHASES][MAX_REPS];
};

static u64 log_cdf[LOG_MAX + 1];

/* The first page an allocation got. */
static inline u64 op_page(u64 o)
{
	return (o >> OP_PAGE_SHIFT) & OP_PAGE_MASK;
}

/* --- Generation ------------------------------------------------------- */

struct bench_gen {
	struct pagealloc pa;
	struct bench_ops *o;
	struct bench_live *live;
	u64 nlive;
	u64 used;
	unsigned long long rng;
};

static void gen_emit(struct bench_gen *g, u64 op)
{
	if (WARN_ON_ONCE(g->o->nops >= g->o->cap))
		return;
	g->o->op[g->o->nops++] = op;
}

static void gen_phase(struct bench_gen *g, const char *name)
{
	struct bench_ops *o = g->o;

	o->phase[o->nphases] = name;
	o->start[o->nphases++] = o->nops;
}

/* Return 0, or -ENOSPC when the pool has no room (recorded as failing). */
static int gen_alloc(struct bench_gen *g, u64 npages)
{
	u64 base, scav;

	if (pagealloc_alloc(&g->pa, npages, &base, &scav)) {
		gen_emit(g, OP_ALLOC << OP_TYPE_SHIFT | OP_FAILS | npages);
		return -ENOSPC;
	}
	gen_emit(g, OP_ALLOC << OP_TYPE_SHIFT | base << OP_PAGE_SHIFT |
		 npages);
	g->live[g->nlive].base = base;
	g->live[g->nlive].npages = npages;
	g->nlive++;
	g->used += npages;
	return 0;
}

static int gen_free(struct bench_gen *g, u64 k, bool keep)
{
	struct bench_live *l = &g->live[k];
	int err;

	err = pagealloc_free(&g->pa, l->base, l->npages);
	if (err)
		return err;
	g->used -= l->npages;
	if (keep) {
		gen_emit(g, OP_FREE_KEEP << OP_TYPE_SHIFT | k);
		l->npages = 0;
	} else {
		gen_emit(g, OP_FREE << OP_TYPE_SHIFT | k);
		*l = g->live[--g->nlive];
	}
	return 0;
}

static u64 gen_below(struct bench_gen *g, u64 n)
{
	return splitmix64_below(&g->rng, n);
}

/* W2 sizes: 60% 1 page, 25% 2-8, 12% 9-64, 3% 65-512. */
static u64 size_banded(struct bench_gen *g)
{
	u64 r = gen_below(g, 100);

	if (r < 60)
		return 1;
	if (r < 85)
		return 2 + gen_below(g, 7);
	if (r < 97)
		return 9 + gen_below(g, 56);
	return 65 + gen_below(g, 448);
}

/* W3 sizes: P(s) proportional to 1/s for s in 1..LOG_MAX. */
static u64 size_log(struct bench_gen *g)
{
	u64 r = gen_below(g, log_cdf[LOG_MAX]);
	u64 lo = 1, hi = LOG_MAX;

	while (lo < hi) {
		u64 mid = lo + (hi - lo) / 2;

		if (r < log_cdf[mid])
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static int gen_fill(struct bench_gen *g)
{
	u64 i, pool = g->o->pool;
	int err;

	gen_phase(g, "alloc1");
	for (i = 0; i < pool; i++) {
		err = gen_alloc(g, 1);
		if (err || g->live[i].base != i)
			return -EIO;
	}
	gen_phase(g, "free1");
	for (i = 0; i < pool; i++) {
		err = gen_free(g, i, true);
		if (err)
			return err;
	}
	return 0;
}

static int gen_churn(struct bench_gen *g, unsigned int percent, u64 ops,
		     u64 (*size)(struct bench_gen *g))
{
	u64 target = g->o->pool * percent / 100;
	u64 i;
	int err;

	gen_phase(g, "fill");
	while (g->used < target) {
		err = gen_alloc(g, size(g));
		if (err)
			return -EIO;
	}
	gen_phase(g, "churn");
	for (i = 0; i < ops; i++) {
		if (g->used >= target && g->nlive) {
			err = gen_free(g, gen_below(g, g->nlive), false);
			if (err)
				return err;
			continue;
		}
		gen_alloc(g, size(g));
	}
	return 0;
}

/*
 * W4: every odd page below the top 64 allocated (here by filling the pool
 * and freeing the rest, which the buddy allocator can do too), then
 * rounds of alloc 64 (the top run) and free it.
 */
static int gen_holes(struct bench_gen *g, u64 ops)
{
	u64 pool = g->o->pool, top = pool - 64, i;
	int err;

	gen_phase(g, "setup");
	for (i = 0; i < pool; i++) {
		err = gen_alloc(g, 1);
		if (err)
			return -EIO;
	}
	for (i = 0; i < pool; i++) {
		if (i < top && (i & 1))
			continue;
		err = gen_free(g, i, true);
		if (err)
			return err;
	}
	gen_phase(g, "search64");
	for (i = 0; i < ops; i++) {
		err = gen_alloc(g, 64);
		if (err || g->live[g->nlive - 1].base != top)
			return -EIO;
		err = gen_free(g, g->nlive - 1, false);
		if (err)
			return err;
	}
	return 0;
}

static void ops_free(struct bench_ops *o)
{
	kvfree(o->op);
	o->op = NULL;
}

/* Fill w->ops; live has room for w->pool + 1 entries. */
static int generate(struct bench_workload *w, struct bench_live *live)
{
	struct bench_ops *o = &w->ops;
	struct bench_gen g = { .o = o, .live = live };
	u64 pool = w->pool;
	int err;

	memset(o, 0, sizeof(*o));
	o->pool = pool;
	switch (w->kind) {
	case W_FILL:
		o->cap = 2 * pool;
		break;
	case W_CHURN75:
		o->cap = pool + churn75_ops;
		g.rng = 0x75;
		break;
	case W_CHURN60:
		o->cap = pool + churn60_ops;
		g.rng = 0x60;
		break;
	case W_HOLES:
		o->cap = 2 * pool + 2ULL * search_ops;
		break;
	}
	o->op = kvmalloc_array(o->cap, sizeof(*o->op), GFP_KERNEL);
	if (!o->op)
		return -ENOMEM;
	err = pagealloc_init(&g.pa, pool);
	if (!err)
		err = pagealloc_grow(&g.pa, 0, pool);
	if (!err) {
		switch (w->kind) {
		case W_FILL:
			err = gen_fill(&g);
			break;
		case W_CHURN75:
			err = gen_churn(&g, 75, churn75_ops, size_banded);
			break;
		case W_CHURN60:
			err = gen_churn(&g, 60, churn60_ops, size_log);
			break;
		case W_HOLES:
			err = gen_holes(&g, search_ops);
			break;
		}
	}
	pagealloc_destroy(&g.pa);
	o->start[o->nphases] = o->nops;
	if (err)
		ops_free(o);
	return err;
}

/* --- Replay ------------------------------------------------------------- */

static inline unsigned int ap_order(unsigned int npages)
{
	return fls(npages - 1);
}

/*
 * Allocate npages on allocator a; fixed: gen_pool at the recorded page.
 * Return the first page (for pagealloc and gen_pool) or 0, and set
 * l->base; false when the allocator had no room.
 */
static __always_inline bool state_alloc(struct bench_state *s, const int a,
					const bool fixed, u64 npages, u64 want,
					struct bench_live *l, u64 *page)
{
	struct genpool_data_fixed data;
	struct page *pg;
	unsigned long addr;
	u64 base, scav;

	switch (a) {
	case BA_PA:
		if (pagealloc_alloc(&s->pa, npages, &base, &scav))
			return false;
		l->base = base;
		*page = base;
		return true;
	case BA_GP:
		if (fixed) {
			data.offset = want << PAGE_SHIFT;
			addr = gen_pool_alloc_algo(s->gp, npages << PAGE_SHIFT,
						   gen_pool_fixed_alloc, &data);
		} else {
			addr = gen_pool_alloc(s->gp, npages << PAGE_SHIFT);
		}
		if (!addr)
			return false;
		l->base = addr;
		*page = (addr - GP_BASE) >> PAGE_SHIFT;
		return true;
	default:
		pg = alloc_pages(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY,
				 ap_order(npages));
		if (!pg)
			return false;
		l->base = (unsigned long)pg;
		*page = 0;
		return true;
	}
}

static __always_inline void state_free(struct bench_state *s, const int a,
				       struct bench_live *l)
{
	if (!l->npages)
		return;
	switch (a) {
	case BA_PA:
		if (pagealloc_free(&s->pa, l->base, l->npages))
			s->mismatches++;
		break;
	case BA_GP:
		gen_pool_free(s->gp, l->base, (size_t)l->npages << PAGE_SHIFT);
		break;
	default:
		__free_pages((struct page *)l->base, ap_order(l->npages));
		break;
	}
	l->npages = 0;
}

/* Replay n operations on allocator a (a constant in each caller). */
static __always_inline void replay(struct bench_state *s, const int a,
				   const bool fixed, const u64 *op, u64 n)
{
	struct bench_live *l;
	u64 i, o, npages, want, page = 0;
	bool got;

	for (i = 0; i < n; i++) {
		o = op[i];
		switch (o >> OP_TYPE_SHIFT) {
		case OP_ALLOC:
			npages = o & OP_NPAGES_MASK;
			want = op_page(o);
			if (a == BA_AP && (o & OP_FAILS))
				break;
			l = &s->live[s->nlive++];
			l->npages = npages;
			got = state_alloc(s, a, fixed, npages, want, l, &page);
			if (a == BA_AP) {
				if (!got) {
					l->npages = 0;
					s->failures++;
				}
				break;
			}
			s->checked++;
			if (o & OP_FAILS) {
				if (got) {
					s->mismatches++;
					state_free(s, a, l);
				}
				s->nlive--;
			} else if (!got) {
				s->mismatches++;
				l->npages = 0;
			} else if (page != want) {
				s->mismatches++;
			}
			break;
		case OP_FREE:
			l = &s->live[o & OP_INDEX_MASK];
			state_free(s, a, l);
			*l = s->live[--s->nlive];
			break;
		default:
			state_free(s, a, &s->live[o & OP_INDEX_MASK]);
			break;
		}
	}
}

static noinline void replay_pa(struct bench_state *s, const u64 *op, u64 n)
{
	replay(s, BA_PA, false, op, n);
}

static noinline void replay_gp(struct bench_state *s, const u64 *op, u64 n)
{
	replay(s, BA_GP, false, op, n);
}

/*
 * gen_pool, untimed, at the recorded pages: a run of allocations that land
 * one after the other takes one gen_pool_fixed_alloc() of its span (a
 * fill); gen_pool_free() of any part of it works as for each allocation.
 */
static noinline void replay_gp_fixed(struct bench_state *s, const u64 *op,
				     u64 n)
{
	struct genpool_data_fixed data;
	struct bench_live *l;
	unsigned long addr;
	u64 i = 0, j, first, end, o;

	while (i < n) {
		first = op_page(op[i]);
		end = first;
		for (j = i; j < n; j++) {
			o = op[j];
			if (o >> OP_TYPE_SHIFT != OP_ALLOC || (o & OP_FAILS) ||
			    op_page(o) != end)
				break;
			end += o & OP_NPAGES_MASK;
		}
		if (j - i < 2) {
			replay(s, BA_GP, true, op + i, 1);
			i++;
			continue;
		}
		data.offset = first << PAGE_SHIFT;
		addr = gen_pool_alloc_algo(s->gp, (end - first) << PAGE_SHIFT,
					   gen_pool_fixed_alloc, &data);
		if (!addr) {
			replay(s, BA_GP, true, op + i, j - i);
			i = j;
			continue;
		}
		for (; i < j; i++) {
			l = &s->live[s->nlive++];
			l->base = GP_BASE + (op_page(op[i]) << PAGE_SHIFT);
			l->npages = op[i] & OP_NPAGES_MASK;
		}
	}
}

static noinline void replay_ap(struct bench_state *s, const u64 *op, u64 n)
{
	replay(s, BA_AP, false, op, n);
}

static void replay_batch(struct bench_state *s, int a, bool fixed,
			 const u64 *op, u64 n)
{
	switch (a) {
	case BA_PA:
		replay_pa(s, op, n);
		break;
	case BA_GP:
		if (fixed)
			replay_gp_fixed(s, op, n);
		else
			replay_gp(s, op, n);
		break;
	default:
		replay_ap(s, op, n);
		break;
	}
}

/*
 * Time one phase, [op, op + n), in batches; gen_pool stops at the budget
 * and, unless the phase is the last, finishes it untimed.
 */
static int run_phase(struct bench_state *s, int a, const u64 *op, u64 n,
		     bool last, struct bench_result *res)
{
	u64 budget = a == BA_GP ? (u64)budget_ms * NSEC_PER_MSEC : 0;
	u64 i = 0, batch = 1, m, t0, dt;

	res->ns = 0;
	while (i < n) {
		m = min(batch, n - i);
		t0 = ktime_get_ns();
		replay_batch(s, a, false, op + i, m);
		dt = ktime_get_ns() - t0;
		res->ns += dt;
		i += m;
		if (dt < BATCH_NS && batch < BATCH_MAX)
			batch *= 2;
		cond_resched();
		if (fatal_signal_pending(current))
			return -EINTR;
		if (budget && res->ns >= budget)
			break;
	}
	res->timed = i;
	while (i < n && !last) {
		m = min_t(u64, BATCH_MAX, n - i);
		replay_batch(s, a, true, op + i, m);
		i += m;
		cond_resched();
		if (fatal_signal_pending(current))
			return -EINTR;
	}
	return 0;
}

/* Free what is still allocated and tear the allocator down. */
static void state_destroy(struct bench_state *s, int a)
{
	u64 i;

	for (i = 0; i < s->nlive && a != BA_PA; i++) {
		if (a == BA_GP)
			state_free(s, BA_GP, &s->live[i]);
		else
			state_free(s, BA_AP, &s->live[i]);
		if (!(i & 0xffff))
			cond_resched();
	}
	s->nlive = 0;
	if (a == BA_PA)
		pagealloc_destroy(&s->pa);
	if (a == BA_GP && s->gp)
		gen_pool_destroy(s->gp);
	s->gp = NULL;
}

/* One run of workload w on allocator a, into repetition rep. */
static int run_one(struct bench_workload *w, int a, struct bench_live *live,
		   u64 *checked, u64 *mismatches, u64 *failures)
{
	struct bench_ops *o = &w->ops;
	struct bench_state s = { .live = live };
	unsigned int p, rep = w->nrep[a];
	int err = 0;

	switch (a) {
	case BA_PA:
		err = pagealloc_init(&s.pa, w->pool);
		if (!err)
			err = pagealloc_grow(&s.pa, 0, w->pool);
		if (err) {
			pagealloc_destroy(&s.pa);
			return err;
		}
		break;
	case BA_GP:
		s.gp = gen_pool_create(PAGE_SHIFT, NUMA_NO_NODE);
		if (!s.gp)
			return -ENOMEM;
		err = gen_pool_add(s.gp, GP_BASE, w->pool << PAGE_SHIFT,
				   NUMA_NO_NODE);
		if (err) {
			gen_pool_destroy(s.gp);
			return err;
		}
		break;
	}
	for (p = 0; p < o->nphases && !err; p++)
		err = run_phase(&s, a, o->op + o->start[p],
				o->start[p + 1] - o->start[p],
				p == o->nphases - 1, &w->res[a][p][rep]);
	state_destroy(&s, a);
	if (err)
		return err;
	w->nrep[a]++;
	*checked += s.checked;
	*mismatches += s.mismatches;
	*failures += s.failures;
	return 0;
}

/* --- The table ------------------------------------------------------------ */

static DEFINE_MUTEX(bench_lock);	/* one run at a time; guards table */
static char *table;
static size_t table_len;

/* A line of the table: to the kernel log and to the "table" file. */
static __printf(1, 2) void out(const char *fmt, ...)
{
	char line[160];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	pr_info("%s", line);
	if (table && table_len + n < TABLE_SIZE) {
		memcpy(table + table_len, line, n);
		table_len += n;
	}
}

/* Tenths of a nanosecond per operation; 0 when nothing was timed. */
static u64 tenths(const struct bench_result *r)
{
	return r->timed ? div64_u64(r->ns * 10, r->timed) : 0;
}

/* Median ns/op (tenths) of a phase over the runs; fewest timed ops. */
static u64 median(struct bench_workload *w, int a, unsigned int p,
		  u64 *timed)
{
	u64 v[MAX_REPS], t;
	unsigned int n = w->nrep[a], i, j;

	*timed = 0;
	if (!n)
		return 0;
	for (i = 0; i < n; i++) {
		v[i] = tenths(&w->res[a][p][i]);
		if (!i || w->res[a][p][i].timed < *timed)
			*timed = w->res[a][p][i].timed;
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	}
	return n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void fmt_ns(char *buf, size_t len, u64 t)
{
	if (!t)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%llu.%llu", t / 10, t % 10);
}

static void fmt_ratio(char *buf, size_t len, u64 num, u64 den)
{
	u64 r;

	if (!num || !den) {
		snprintf(buf, len, "-");
		return;
	}
	r = div64_u64(num * 100 + den / 2, den);
	snprintf(buf, len, "%llu.%02llu", r / 100, r % 100);
}

static void print_header(void)
{
	out("%-19s %-8s %8s %9s %10s %8s %8s %11s %6s\n",
	    "workload", "phase", "ops", "pagealloc", "gen_pool", "gp_ops",
	    "gp/pa", "alloc_pages", "ap/pa");
}

static void print_rows(struct bench_workload *w)
{
	char pa[48], gp[48], gpo[48], gr[48], ap[48], ar[48];
	u64 tpa, tgp, tap, timed, ops;
	unsigned int p;

	for (p = 0; p < w->ops.nphases; p++) {
		ops = w->ops.start[p + 1] - w->ops.start[p];
		tpa = median(w, BA_PA, p, &timed);
		tgp = median(w, BA_GP, p, &timed);
		fmt_ns(pa, sizeof(pa), tpa);
		fmt_ns(gp, sizeof(gp), tgp);
		if (w->nrep[BA_GP])
			snprintf(gpo, sizeof(gpo), "%llu", timed);
		else
			snprintf(gpo, sizeof(gpo), "-");
		fmt_ratio(gr, sizeof(gr), tgp, tpa);
		tap = median(w, BA_AP, p, &timed);
		fmt_ns(ap, sizeof(ap), tap);
		fmt_ratio(ar, sizeof(ar), tap, tpa);
		out("%-19s %-8s %8llu %9s %10s %8s %8s %11s %6s\n",
		    p ? "" : w->name, w->ops.phase[p], ops, pa, gp, gpo, gr,
		    ap, ar);
	}
}

/* --- The run ------------------------------------------------------------ */

static char names[7][48];

static int run_workload(struct bench_workload *w, u64 *checked,
			u64 *mismatches, u64 *failures)
{
	struct bench_live *live;
	unsigned int r, n;
	int err;

	live = kvmalloc_array(w->pool + 1, sizeof(*live), GFP_KERNEL);
	if (!live)
		return -ENOMEM;
	pr_info("run: %s\n", w->name);
	err = generate(w, live);
	n = max(reps, gp_reps);
	/* Interleaved, so that a slow spell of the host hits all alike. */
	for (r = 0; r < n && !err; r++) {
		if (r < reps)
			err = run_one(w, BA_PA, live, checked, mismatches,
				      failures);
		if (!err && r < gp_reps)
			err = run_one(w, BA_GP, live, checked, mismatches,
				      failures);
		if (!err && r < reps && w->buddy)
			err = run_one(w, BA_AP, live, checked, mismatches,
				      failures);
	}
	kvfree(live);
	w->ran = !err;
	if (err)
		ops_free(&w->ops);
	return err;
}

static void name_workload(struct bench_workload *w, char *buf, size_t len,
			  const char *what)
{
	if (w->pool % GIB_PAGES)
		snprintf(buf, len, "%s %llu MiB", what, w->pool / MIB_PAGES);
	else
		snprintf(buf, len, "%s %llu GiB", what, w->pool / GIB_PAGES);
	w->name = buf;
}

static int bench_run(void)
{
	static const char * const what[] = {
		[W_FILL] = "W1 fill", [W_CHURN75] = "W2 churn75",
		[W_CHURN60] = "W3 churn60", [W_HOLES] = "W4 holes",
	};
	u64 small = (u64)buddy_mib * MIB_PAGES;
	struct bench_workload *w;
	u64 checked = 0, mismatches = 0, failures = 0, t0;
	unsigned int i, nw;
	int err = 0;
	u64 s;

	if (reps < 1 || reps > MAX_REPS || gp_reps > MAX_REPS ||
	    buddy_mib < 2 || buddy_mib > 4096 || holes_gib < 4 ||
	    holes_gib > 64 || !search_ops) {
		pr_err("parameter out of range\n");
		return -EINVAL;
	}
	w = kcalloc(7, sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	w[0] = (struct bench_workload){ .kind = W_FILL, .pool = 4 * GIB_PAGES };
	w[1] = (struct bench_workload){ .kind = W_FILL, .pool = small,
					.buddy = true };
	w[2] = (struct bench_workload){ .kind = W_CHURN75, .pool = GIB_PAGES };
	w[3] = (struct bench_workload){ .kind = W_CHURN75, .pool = small,
					.buddy = true };
	w[4] = (struct bench_workload){ .kind = W_CHURN60,
					.pool = 4 * GIB_PAGES };
	w[5] = (struct bench_workload){ .kind = W_HOLES,
					.pool = (u64)holes_gib * GIB_PAGES };
	w[6] = (struct bench_workload){ .kind = W_HOLES, .pool = small,
					.buddy = true };
	nw = 7;
	for (i = 0; i < nw; i++)
		name_workload(&w[i], names[i], sizeof(names[i]),
			      what[w[i].kind]);
	for (s = 1; s <= LOG_MAX; s++)
		log_cdf[s] = log_cdf[s - 1] + div64_u64(1ULL << 40, s);

	t0 = ktime_get_ns();
	for (i = 0; i < nw && !err; i++) {
		if (!(workloads & BIT(i)))
			continue;
		err = run_workload(&w[i], &checked, &mismatches, &failures);
	}
	if (err) {
		pr_err("stopped: error %d\n", err);
		goto out;
	}

	out("Linux %s, %u CPUs, init_on_alloc %s\n", init_utsname()->release,
	    num_online_cpus(), want_init_on_alloc(GFP_KERNEL) ? "on" : "off");
	out("ns per operation, median of %u runs; gen_pool: %u run(s), %u ms\n",
	    reps, gp_reps, budget_ms);
	out("at most per phase, gp_ops operations timed in it\n");
	print_header();
	for (i = 0; i < nw; i++)
		if (w[i].ran)
			print_rows(&w[i]);
	out("placement: %llu allocations where the list says, %llu not\n",
	    checked, mismatches);
	out("alloc_pages: %llu allocations failed\n", failures);
	out("done in %llu s: %s\n",
	    div64_u64(ktime_get_ns() - t0, NSEC_PER_SEC),
	    mismatches ? "MISMATCH" : "ok");
out:
	for (i = 0; i < nw; i++)
		ops_free(&w[i].ops);
	kfree(w);
	return err;
}

/* --- debugfs ------------------------------------------------------------ */

static struct dentry *bench_dir;

static ssize_t run_write(struct file *file, const char __user *buf,
			 size_t count, loff_t *ppos)
{
	int err;

	if (!mutex_trylock(&bench_lock))
		return -EBUSY;
	table_len = 0;
	err = bench_run();
	mutex_unlock(&bench_lock);
	return err ? err : count;
}

static const struct file_operations run_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = run_write,
	.llseek = noop_llseek,
};

static int table_show(struct seq_file *m, void *v)
{
	if (!mutex_trylock(&bench_lock))
		return -EBUSY;
	seq_write(m, table, table_len);
	mutex_unlock(&bench_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(table);

static int __init pagealloc_bench_init(void)
{
	table = kmalloc(TABLE_SIZE, GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	bench_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("run", 0200, bench_dir, NULL, &run_fops);
	debugfs_create_file("table", 0444, bench_dir, NULL, &table_fops);
	return 0;
}

static void __exit pagealloc_bench_exit(void)
{
	debugfs_remove_recursive(bench_dir);
	kfree(table);
}

module_init(pagealloc_bench_init);
module_exit(pagealloc_bench_exit);

MODULE_DESCRIPTION("pagealloc benchmark against gen_pool and alloc_pages");
MODULE_LICENSE("GPL");
