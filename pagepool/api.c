// SPDX-License-Identifier: GPL-2.0
/*
 * pagepool in-kernel API (<linux/pagepool.h>): the functions other modules
 * call to take buffers from a pool directly, as /dev/pagepool's ioctls do
 * for userspace, with the same checks and the same figures.
 */

#include <linux/dma-buf.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/fcntl.h>
#include <linux/module.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "../include/linux/pagepool.h"
#include "check.h"
#include "pagepool.h"

/**
 * pagepool_get() - look a pool up by name and hold it
 * @name: the pool's name, as given by pools= ("pagepool" for the pool of
 *	the single-pool parameters)
 *
 * The reference keeps pagepool.ko, and so the pool, loaded until
 * pagepool_put(). Pools are created at load and live until unload.
 *
 * Context: any; does not sleep.
 * Return: the pool, or ERR_PTR(-ENODEV) when there is no pool of that
 * name (or pagepool.ko is being unloaded); never NULL.
 */
struct pagepool *pagepool_get(const char *name)
{
	struct pagepool *pool;

	if (!name)
		return ERR_PTR(-ENODEV);
	pool = pagepool_find(name);
	if (!pool || !try_module_get(THIS_MODULE))
		return ERR_PTR(-ENODEV);
	return pool;
}
EXPORT_SYMBOL_GPL(pagepool_get);

/**
 * pagepool_put() - drop a pool reference taken by pagepool_get()
 * @pool: the pool; NULL or an error pointer does nothing
 *
 * Buffers allocated from the pool stay valid: each holds a reference on
 * the module of its own, dropped when its dma-buf is released.
 *
 * Context: any; does not sleep.
 */
void pagepool_put(struct pagepool *pool)
{
	if (!IS_ERR_OR_NULL(pool))
		module_put(THIS_MODULE);
}
EXPORT_SYMBOL_GPL(pagepool_put);

/**
 * pagepool_alloc() - allocate a buffer from a pool as a dma-buf
 * @pool: a pool from pagepool_get()
 * @pages: number of pages, from 1 to the pool's largest allocation
 *	(its max_pages)
 * @align: 0 or 1 for none, else a power of two no larger than the pool,
 *	in pages: the buffer's physical address is a multiple of @align pages
 * @flags: 0, or PAGEPOOL_ALLOC_WRITECOMBINE
 *
 * The same allocation as the PAGEPOOL_IOC_ALLOC ioctl, with the same
 * checks: the pages are physically contiguous and zero, and the dma-buf's
 * file is O_RDWR. The caller owns the one reference and drops it with
 * dma_buf_put(); it may attach and map the dma-buf, vmap it, or hand it to
 * userspace with dma_buf_fd() (which takes that reference: get_dma_buf()
 * first to keep one). The pages go back to the pool when the last
 * reference, file descriptor and mapping are gone.
 *
 * Context: process context; may sleep (zeroing pages, allocating memory).
 * Return: the dma-buf, or an ERR_PTR: -EINVAL for 0 pages, more than the
 * pool's max_pages (but no more than the pool), a bad @align or unknown
 * @flags; -ENOMEM when no run of @pages (so aligned) is free or @pages is
 * more than the pool has; -EOPNOTSUPP for a write-combined buffer where
 * there can be none (a pool reserved at boot, a CPU without PAT).
 */
struct dma_buf *pagepool_alloc(struct pagepool *pool, u64 pages, u64 align,
			       u64 flags)
{
	u64 offset, clean;
	int ret = pagepool_check_alloc(pool, pages, align, flags);

	if (ret)
		return ERR_PTR(ret);
	return pagepool_alloc_buf(pool, pages, align, flags, O_RDWR, &offset,
				  &clean);
}
EXPORT_SYMBOL_GPL(pagepool_alloc);

/**
 * pagepool_get_info() - a pool's figures
 * @pool: a pool from pagepool_get()
 * @info: filled in whole, as the PAGEPOOL_IOC_POOL_INFO ioctl answers
 *	(reserved fields zero)
 *
 * The figures are read at one moment, under the pool's lock; they may have
 * changed by the time the caller looks at them. /dev/pagepool's ioctl
 * answers with this too.
 *
 * Context: process context (it takes the pool's spinlock, which is never
 * taken with bottom halves or interrupts disabled); does not sleep.
 * Return: 0.
 */
int pagepool_get_info(struct pagepool *pool, struct pagepool_pool_info *info)
{
	memset(info, 0, sizeof(*info));
	info->page_size = PAGE_SIZE;
	info->pages = pool->pages;
	info->size = pool->pages << PAGE_SHIFT;
	spin_lock(&pool->lock);
	info->free_pages = pool->pa.free_pages;
	info->largest_free = pagealloc_largest_free(&pool->pa);
	info->chunks = pool->pa.nchunks;
	info->zeroed_pages = pool->pa.scav_pages;
	info->allocations = pool->stats.alive;
	info->wc_buffers = pool->stats.wc_alive;
	info->wc_pages = pool->stats.wc_pages;
	spin_unlock(&pool->lock);
	return 0;
}
EXPORT_SYMBOL_GPL(pagepool_get_info);
