// SPDX-License-Identifier: GPL-2.0
/*
 * pagepool zeroing: every page leaves the pool zero. Pages are taken out
 * of the pool and given back only here, so that the whole policy between
 * the background zeroer and allocations reads in one place:
 *
 * - The allocator marks a free page scavenged when it is known to be zero.
 *   Freed pages are not: pagepool_give_pages() returns them unscavenged.
 * - pagepool_take_pages() allocates first fit and zeroes, after unlocking,
 *   exactly the pages that were not scavenged.
 * - The zeroer (pagepool-zero) zeroes free pages that are not known to be
 *   zero, lowest first, which is the order in which first fit hands them
 *   out, so that the next allocations find their pages zero. It zeroes
 *   ZERO_STEP pages at a time (a few microseconds), and the pages never
 *   leave the allocator: they stay free to allocations and count in every
 *   free figure. Under the pool's lock it names the step (@zero_base,
 *   @zero_end) and takes @zero_lock; it zeroes holding only @zero_lock,
 *   then marks the pages zero under the pool's lock, unless an allocation
 *   took some of them meanwhile (@zero_hit).
 * - An allocation that gets pages of the step being zeroed sets @zero_hit
 *   and, after unlocking the pool, waits for @zero_lock: once it has it,
 *   the zeroer is done with the step and will not write to the pages
 *   again. It zeroes them itself, as they are not marked zero. No other
 *   allocation, and no free, waits for the zeroer.
 * - The zeroer runs under SCHED_IDLE: it only takes CPU time nothing else
 *   wants, and waking it never preempts the task that freed. While it
 *   holds @zero_lock it cannot be preempted (or, on PREEMPT_RT, a waiting
 *   allocation lends it its priority), so that wait is one step at most.
 * - A free wakes the zeroer only when it is idle and ZERO_WAKE pages or
 *   more are waiting to be zeroed; smaller frees arm a delayed wake-up
 *   (ZERO_DELAY) once, so that a stream of small frees costs no wake-up
 *   each and their pages are still zeroed soon after.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <uapi/linux/sched/types.h>

#include "pagepool.h"

/* The pagepool trace events are defined here, where they are emitted. */
#define CREATE_TRACE_POINTS
#include <trace/events/pagepool.h>

/* Pages the zeroer zeroes at a time, holding @zero_lock (32 KiB). */
#define ZERO_STEP	8
/* Pages waiting to be zeroed that make a free wake the zeroer (1 MiB). */
#define ZERO_WAKE	256
/* How soon fewer waiting pages get the zeroer going. */
#define ZERO_DELAY	(HZ / 10)
/* Allocations up to this many pages keep their dirty bitmap on the stack. */
#define DIRTY_ON_STACK	512
/* Pages an allocation zeroes between reschedules (1 MiB). */
#define ZERO_BATCH	256

/* Zero pool pages the caller owns, without the lock; may sleep. */
static void zero_pages(struct pagepool *pool, u64 offset, u64 pages)
{
	while (pages) {
		u64 n = min_t(u64, pages, ZERO_BATCH);

		memset(pool->vaddr + (offset << PAGE_SHIFT), 0, n << PAGE_SHIFT);
		offset += n;
		pages -= n;
		cond_resched();
	}
}

/* Zero the pages of a new allocation whose bits are set in @dirty. */
static void zero_dirty(struct pagepool *pool, u64 offset, u64 pages,
		       const u64 *dirty)
{
	u64 pos = 0, len;

	while (pagealloc_next_run(dirty, pages, &pos, &len)) {
		zero_pages(pool, offset + pos, len);
		pos += len;
	}
}

/**
 * pagepool_take_pages() - allocate zeroed pages from the pool
 * @pool: the pool
 * @pages: number of pages, checked by the caller against the limits
 * @align: 0 or 1, or a power of two of pages: the run's physical address
 *	is a multiple of @align pages
 * @prefer: @align is only a preference: where no aligned run fits, take
 *	the first run that does (one attempt, one failure at most counted)
 * @base: set to the first pool page of the run
 * @clean: set to how many of them were already zero
 *
 * First fit (aligned first fit with @align); the pages that were not known
 * to be zero are zeroed before this returns. May sleep.
 *
 * Every call, made or refused, emits the pagepool_alloc trace event.
 *
 * Return: 0, or -ENOMEM when no run of @pages fits (or memory for the
 * bookkeeping is short); the pool is then unchanged.
 */
int pagepool_take_pages(struct pagepool *pool, u64 pages, u64 align,
			bool prefer, u64 *base, u64 *clean)
{
	u64 small[DIRTY_ON_STACK / 64];
	u64 *dirty = small, scav = 0;
	bool hit = false;
	int ret;

	/* (The allocator writes every word of the bitmap it uses.) */
	if (pages > DIRTY_ON_STACK) {
		dirty = kvmalloc_array(DIV_ROUND_UP(pages, 64), sizeof(u64),
				       GFP_KERNEL);
		if (!dirty) {
			trace_pagepool_alloc(pool, pages, 0, align, 0, -ENOMEM);
			return -ENOMEM;
		}
	}

	spin_lock(&pool->lock);
	ret = pagealloc_alloc_aligned(&pool->pa, pages, align, base, &scav,
				      dirty);
	if (ret == -ENOMEM && prefer && align > 1) {
		align = 0;
		ret = pagealloc_alloc_aligned(&pool->pa, pages, 0, base,
					      &scav, dirty);
	}
	if (ret) {
		pool->stats.failures++;
	} else {
		pool->stats.allocations++;
		pool->stats.alive++;
		pool->stats.pages_alive += pages;
		pool->stats.alloc_zeroed += pages - scav;
		/* Pages of the zeroer's step: wait for it to leave them. */
		if (*base < pool->zero_end && pool->zero_base < *base + pages) {
			pool->zero_hit = true;
			hit = true;
		}
	}
	spin_unlock(&pool->lock);
	if (hit) {
		spin_lock(&pool->zero_lock);
		spin_unlock(&pool->zero_lock);
	}

	/* The pages are ours now: zero what is not known to be zero. */
	if (!ret && scav == 0)
		zero_pages(pool, *base, pages);
	else if (!ret && scav < pages)
		zero_dirty(pool, *base, pages, dirty);
	*clean = scav;
	if (dirty != small)
		kvfree(dirty);
	trace_pagepool_alloc(pool, pages, ret ? 0 : *base, align,
			     ret ? 0 : pages - scav, ret);
	return ret;
}

/**
 * pagepool_give_pages() - return pages to the pool
 * @pool: the pool
 * @base: first pool page, as pagepool_take_pages() set it
 * @pages: number of pages, as given to pagepool_take_pages()
 *
 * The pages go back not zero. An idle zeroer is woken when enough pages
 * wait for it, else it is woken a little later (see the top of the file).
 */
void pagepool_give_pages(struct pagepool *pool, u64 base, u64 pages)
{
	bool wake = false, later = false;

	trace_pagepool_free(pool, base, pages);
	spin_lock(&pool->lock);
	WARN_ON(pagealloc_free(&pool->pa, base, pages));
	pool->stats.frees++;
	pool->stats.alive--;
	pool->stats.pages_alive -= pages;
	if (pool->zeroer_idle) {
		if (pool->pa.free_pages - pool->pa.scav_pages >= ZERO_WAKE) {
			WRITE_ONCE(pool->zeroer_idle, false);
			wake = true;
		} else {
			later = true;
		}
	}
	spin_unlock(&pool->lock);
	if (wake)
		wake_up(&pool->zero_wait);
	else if (later)
		schedule_delayed_work(&pool->zero_kick, ZERO_DELAY);
}

/* The delayed wake-up of an idle zeroer, for pages freed a few at a time. */
static void zero_kick_fn(struct work_struct *work)
{
	struct pagepool *pool = container_of(to_delayed_work(work),
					     struct pagepool, zero_kick);
	bool wake;

	spin_lock(&pool->lock);
	wake = pool->zeroer_idle;
	WRITE_ONCE(pool->zeroer_idle, false);
	spin_unlock(&pool->lock);
	if (wake)
		wake_up(&pool->zero_wait);
}

/*
 * One step of the background zeroer: the lowest free pages not known to be
 * zero, up to ZERO_STEP, zeroed and marked zero. Returns false, with the
 * zeroer marked idle, when there are none.
 */
static bool zero_step(struct pagepool *pool)
{
	u64 base, n, done = 0;

	spin_lock(&pool->lock);
	n = pagealloc_scavenge_find(&pool->pa, ZERO_STEP, &base);
	if (!n) {
		WRITE_ONCE(pool->zeroer_idle, true);
		spin_unlock(&pool->lock);
		return false;
	}
	/* Held before the step is seen, so that no allocation misses it. */
	spin_lock(&pool->zero_lock);
	pool->zero_base = base;
	pool->zero_end = base + n;
	pool->zero_hit = false;
	spin_unlock(&pool->lock);

	memset(pool->vaddr + (base << PAGE_SHIFT), 0, n << PAGE_SHIFT);
	spin_unlock(&pool->zero_lock);
	trace_pagepool_zero(pool, base, n);

	spin_lock(&pool->lock);
	/* Pages allocated meanwhile may be written, even freed, by now. */
	if (!pool->zero_hit) {
		WARN_ON(pagealloc_scavenge_range(&pool->pa, base, n, &done));
		pool->stats.bg_zeroed += done;
	}
	pool->zero_base = 0;
	pool->zero_end = 0;
	spin_unlock(&pool->lock);
	return true;
}

/* The background zeroer: steps while there is work, else sleep. */
static int zeroer_fn(void *data)
{
	struct pagepool *pool = data;

	while (!kthread_should_stop()) {
		if (zero_step(pool)) {
			cond_resched();
			continue;
		}
		wait_event_interruptible(pool->zero_wait,
					 kthread_should_stop() ||
					 !READ_ONCE(pool->zeroer_idle));
	}
	return 0;
}

/**
 * pagepool_zeroer_start() - start zeroing free pages in the background
 * @pool: the pool, whose pages are all free and marked dirty
 *
 * Return: 0 or the error from kthread_create().
 */
int pagepool_zeroer_start(struct pagepool *pool)
{
	struct sched_attr attr = {
		.size = sizeof(attr),
		.sched_policy = SCHED_IDLE,
	};
	struct task_struct *t;

	INIT_DELAYED_WORK(&pool->zero_kick, zero_kick_fn);
	pool->zeroer_idle = false;
	/*
	 * On the pool's node, near its memory. "pagepool-zero" for the pool
	 * named pagepool; "pagepool/NAME" for the others (a task's name
	 * keeps 15 characters: the first 6 of NAME).
	 */
	if (strcmp(pool->name, KBUILD_MODNAME))
		t = kthread_create_on_node(zeroer_fn, pool, pool->nid,
					   "pagepool/%s", pool->name);
	else
		t = kthread_create_on_node(zeroer_fn, pool, pool->nid,
					   "pagepool-zero");
	if (IS_ERR(t))
		return PTR_ERR(t);
	if (cpumask_intersects(cpumask_of_node(pool->nid), cpu_online_mask))
		set_cpus_allowed_ptr(t, cpumask_of_node(pool->nid));
	/* Only idle CPU time; cannot fail for a valid policy. */
	WARN_ON(sched_setattr_nocheck(t, &attr));
	pool->zeroer = t;
	wake_up_process(t);
	return 0;
}

/**
 * pagepool_zeroer_stop() - stop the background zeroer, if it runs
 * @pool: the pool, with no buffer alive
 */
void pagepool_zeroer_stop(struct pagepool *pool)
{
	if (!pool->zeroer)
		return;
	cancel_delayed_work_sync(&pool->zero_kick);
	kthread_stop(pool->zeroer);
	pool->zeroer = NULL;
}
