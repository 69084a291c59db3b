// SPDX-License-Identifier: GPL-2.0
/*
 * pagepool zeroing: every page leaves the pool zero. Pages are taken out
 * of the pool and given back only here, so that the whole protocol between
 * the background zeroer and allocations reads in one place:
 *
 * - The allocator marks a free page scavenged when it is known to be zero.
 *   Freed pages are not: pagepool_give_pages() returns them unscavenged and
 *   wakes the zeroer.
 * - The zeroer (pagepool-zero) takes the highest unscavenged free pages out
 *   of the pool, a megabyte at a time, with pagealloc_scavenge_start(),
 *   zeroes them without the pool's lock and gives them back scavenged with
 *   pagealloc_scavenge_finish(). @zeroing counts the pages it holds, which
 *   still count as free.
 * - pagepool_take_pages() allocates first fit and zeroes, after unlocking,
 *   exactly the pages that were not scavenged. When no run fits but the
 *   zeroer holds pages, the allocation registers as a waiter (the zeroer
 *   takes nothing more while there is one), waits for the zeroer to give
 *   its batch back and tries once more.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "pagepool.h"

/* Pages zeroed in one go, by the zeroer and between reschedules (1 MiB). */
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

/* Zero the pages of a new allocation that are not known to be zero. */
static u64 zero_dirty(struct pagepool *pool, u64 offset, u64 pages,
		      const u64 *dirty)
{
	u64 pos = 0, len, zeroed = 0;

	while (pagealloc_next_run(dirty, pages, &pos, &len)) {
		zero_pages(pool, offset + pos, len);
		zeroed += len;
		pos += len;
	}
	return zeroed;
}

/**
 * pagepool_take_pages() - allocate zeroed pages from the pool
 * @pool: the pool
 * @pages: number of pages, checked by the caller against the limits
 * @base: set to the first pool page of the run
 * @clean: set to how many of them were already zero
 *
 * First fit; the pages that were not known to be zero are zeroed before
 * this returns. May sleep.
 *
 * Return: 0, or -ENOMEM when no run of @pages fits (or memory for the
 * bookkeeping is short); the pool is then unchanged.
 */
int pagepool_take_pages(struct pagepool *pool, u64 pages, u64 *base,
			u64 *clean)
{
	bool waited = false;
	u64 scav, zeroed;
	u64 *dirty;
	int ret;

	dirty = kvcalloc(DIV_ROUND_UP(pages, 64), sizeof(u64), GFP_KERNEL);
	if (!dirty)
		return -ENOMEM;

	spin_lock(&pool->lock);
	ret = pagealloc_alloc_dirty(&pool->pa, pages, base, &scav, dirty);
	if (ret == -ENOMEM && pool->zeroing) {
		/*
		 * The zeroer holds free pages this allocation may need: wait
		 * for it to give them back (a megabyte's zeroing) and keep it
		 * from taking more until the second try is made.
		 */
		WRITE_ONCE(pool->waiters, pool->waiters + 1);
		spin_unlock(&pool->lock);
		wait_event(pool->zero_done, !READ_ONCE(pool->zeroing));
		spin_lock(&pool->lock);
		WRITE_ONCE(pool->waiters, pool->waiters - 1);
		ret = pagealloc_alloc_dirty(&pool->pa, pages, base, &scav,
					    dirty);
		waited = true;
	}
	if (ret)
		pool->stats.failures++;
	spin_unlock(&pool->lock);
	/* Let the zeroer go on once the last waiter is done. */
	if (waited)
		wake_up(&pool->zero_wait);
	if (ret)
		goto out;

	/* The pages are ours now: zero what is not known to be zero. */
	zeroed = zero_dirty(pool, *base, pages, dirty);
	*clean = pages - zeroed;
	spin_lock(&pool->lock);
	pool->stats.allocations++;
	pool->stats.alive++;
	pool->stats.pages_alive += pages;
	pool->stats.alloc_zeroed += zeroed;
	spin_unlock(&pool->lock);
out:
	kvfree(dirty);
	return ret;
}

/**
 * pagepool_give_pages() - return pages to the pool
 * @pool: the pool
 * @base: first pool page, as pagepool_take_pages() set it
 * @pages: number of pages, as given to pagepool_take_pages()
 *
 * The pages go back not zero; the zeroer is woken to zero them.
 */
void pagepool_give_pages(struct pagepool *pool, u64 base, u64 pages)
{
	spin_lock(&pool->lock);
	WARN_ON(pagealloc_free(&pool->pa, base, pages));
	pool->stats.frees++;
	pool->stats.alive--;
	pool->stats.pages_alive -= pages;
	spin_unlock(&pool->lock);
	WRITE_ONCE(pool->dirty, true);
	wake_up(&pool->zero_wait);
}

/*
 * The background zeroer: take the highest dirty free pages out of the pool,
 * zero them without the lock, give them back marked zero.
 */
static int zeroer_fn(void *data)
{
	struct pagepool *pool = data;

	while (!kthread_should_stop()) {
		u64 base, n;

		WRITE_ONCE(pool->dirty, false);
		spin_lock(&pool->lock);
		if (pool->waiters) {
			/* An allocation needs every free page: stand back. */
			spin_unlock(&pool->lock);
			wait_event_interruptible(pool->zero_wait,
						 kthread_should_stop() ||
						 !READ_ONCE(pool->waiters));
			continue;
		}
		n = pagealloc_scavenge_start(&pool->pa, ZERO_BATCH, &base);
		WRITE_ONCE(pool->zeroing, n);
		spin_unlock(&pool->lock);
		if (!n) {
			wait_event_interruptible(pool->zero_wait,
						 kthread_should_stop() ||
						 READ_ONCE(pool->dirty));
			continue;
		}
		zero_pages(pool, base, n);
		spin_lock(&pool->lock);
		WARN_ON(pagealloc_scavenge_finish(&pool->pa, base, n));
		WRITE_ONCE(pool->zeroing, 0);
		pool->stats.bg_zeroed += n;
		spin_unlock(&pool->lock);
		wake_up(&pool->zero_done);
		cond_resched();
	}
	return 0;
}

/**
 * pagepool_zeroer_start() - start zeroing free pages in the background
 * @pool: the pool, whose pages are all free and marked dirty
 *
 * Return: 0 or the error from kthread_run().
 */
int pagepool_zeroer_start(struct pagepool *pool)
{
	struct task_struct *t;

	WRITE_ONCE(pool->dirty, true);
	t = kthread_run(zeroer_fn, pool, "pagepool-zero");
	if (IS_ERR(t))
		return PTR_ERR(t);
	pool->zeroer = t;
	return 0;
}

/**
 * pagepool_zeroer_stop() - stop the background zeroer, if it runs
 * @pool: the pool
 *
 * Once this returns the zeroer holds no pages.
 */
void pagepool_zeroer_stop(struct pagepool *pool)
{
	if (pool->zeroer)
		kthread_stop(pool->zeroer);
	pool->zeroer = NULL;
}
