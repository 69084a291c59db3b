/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pagepool in-kernel API: what other kernel modules may call to allocate
 * pagepool buffers themselves, without going through /dev/pagepool. A
 * driver looks a pool up by name, allocates dma-bufs from it, reads its
 * figures and drops it again. The functions are exported GPL-only by
 * pagepool.ko (pagepool/api.c); Documentation/pagepool.rst, "In-kernel
 * API", has an example.
 *
 * A pool reference (pagepool_get()) and every buffer each hold a
 * reference on pagepool.ko, so the module cannot be unloaded while either
 * is held.
 */
#ifndef _LINUX_PAGEPOOL_H
#define _LINUX_PAGEPOOL_H

#include <linux/types.h>

#include "../uapi/linux/pagepool.h"

struct dma_buf;

/* A pool: opaque outside pagepool.ko. */
struct pagepool;

struct pagepool *pagepool_get(const char *name);
void pagepool_put(struct pagepool *pool);
struct dma_buf *pagepool_alloc(struct pagepool *pool, u64 pages, u64 align,
			       u64 flags);
int pagepool_get_info(struct pagepool *pool, struct pagepool_pool_info *info);

#endif /* _LINUX_PAGEPOOL_H */
