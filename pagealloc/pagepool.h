/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pagepool: one physically contiguous pool of pages, reserved at load,
 * served as dma-bufs through /dev/dma_heap/pagepool and /dev/pagepool.
 * Documentation/pagepool.rst describes it; pagealloc.h the allocator.
 */
#ifndef _PAGEPOOL_H
#define _PAGEPOOL_H

#include <linux/types.h>

#include "pagealloc.h"

struct dentry;
struct dma_buf;
struct task_struct;

/* Validation of what userspace and module parameters pass in. */
int pagepool_parse_size(const char *s, u64 *bytes);
int pagepool_check_heap_alloc(u64 len, u32 fd, u32 fd_flags, u64 heap_flags,
			      u64 *pages);
int pagepool_check_reserved(const void *p, size_t len);
bool pagepool_next_run(const u64 *bits, u64 nbits, u64 *pos, u64 *len);

#ifdef __KERNEL__

#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

/**
 * struct pagepool_stats - counters shown in debugfs and pool info
 * @allocations: successful allocations
 * @frees: buffers returned
 * @failures: allocations refused for lack of room
 * @alive: buffers alive
 * @pages_alive: pages in buffers alive
 * @bg_zeroed: pages zeroed by the background worker
 * @alloc_zeroed: pages zeroed by allocations
 */
struct pagepool_stats {
	u64 allocations;
	u64 frees;
	u64 failures;
	u64 alive;
	u64 pages_alive;
	u64 bg_zeroed;
	u64 alloc_zeroed;
};

/**
 * struct pagepool - the pool
 * @lock: protects @pa and @stats; never held while zeroing
 * @pa: the allocator; its page numbers are pool pages
 * @stats: counters, under @lock
 * @pages: pages in the pool
 * @base_pfn: the pool's first page frame
 * @phys: its physical address
 * @vaddr: a kernel mapping of the whole pool, for zeroing
 * @reserved: taken from a boot-time reservation (memmap=) rather than from
 *	the page allocator
 * @has_pages: every page frame has a struct page (needed by importers)
 * @zeroer: the background zeroing thread, or NULL
 * @zeroing: free pages the zeroer holds at the moment, under @lock
 * @waiters: allocations waiting for the zeroer's pages, under @lock; the
 *	zeroer takes no more pages while there are any
 * @zero_done: where those allocations wait
 * @max_pages: the largest allocation allowed, in pages
 * @zero_wait: where the zeroer waits for dirty pages
 * @dirty: set when pages may need zeroing
 * @heap_dev: /dev/dma_heap/pagepool
 * @ctl_dev: /dev/pagepool
 * @debugfs: /sys/kernel/debug/pagepool
 */
struct pagepool {
	spinlock_t lock;	/* the allocator, counters and zeroing */
	struct pagealloc pa;
	struct pagepool_stats stats;
	u64 pages;
	unsigned long base_pfn;
	phys_addr_t phys;
	void *vaddr;
	bool reserved;
	bool has_pages;
	struct task_struct *zeroer;
	u64 zeroing;
	unsigned int waiters;
	wait_queue_head_t zero_done;
	u64 max_pages;
	wait_queue_head_t zero_wait;
	bool dirty;
	struct miscdevice heap_dev;
	struct miscdevice ctl_dev;
	struct dentry *debugfs;
};

/**
 * struct pagepool_buffer - one allocation, exported as a dma-buf
 * @pool: the pool it came from
 * @offset: its first pool page
 * @pages: number of pages
 * @lock: protects @attachments
 * @attachments: the importers' attachments
 */
struct pagepool_buffer {
	struct pagepool *pool;
	u64 offset;
	u64 pages;
	struct mutex lock;	/* the attachments list */
	struct list_head attachments;
};

struct dma_buf *pagepool_alloc_buf(struct pagepool *pool, u64 pages,
				   u32 fd_flags, u64 *offset, u64 *clean);
struct pagepool_buffer *pagepool_buffer_get(struct pagepool *pool, int fd,
					    struct dma_buf **dmabuf);
void pagepool_zero(struct pagepool *pool, u64 offset, u64 pages);
int pagepool_devices_register(struct pagepool *pool, umode_t mode);
void pagepool_devices_unregister(struct pagepool *pool);
void pagepool_debugfs_init(struct pagepool *pool);

/* Free pages, counting those the zeroer holds; under the pool's lock. */
static inline u64 pagepool_free_pages(const struct pagepool *pool)
{
	return pool->pa.free_pages + pool->zeroing;
}

#endif /* __KERNEL__ */

#endif /* _PAGEPOOL_H */
