/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pagepool: physically contiguous pools of pages, reserved at load, each
 * served as dma-bufs through /dev/dma_heap/pagepool-NAME and
 * /dev/pagepool-NAME (/dev/dma_heap/pagepool and /dev/pagepool for the
 * pool named pagepool). Documentation/pagepool.rst describes it;
 * pagealloc.h the allocator.
 *
 * The pieces, one file each:
 *   pool.c     load parameters, the list of pools, getting and returning
 *              their memory
 *   zero.c     zeroing: the background worker, allocation-time zeroing and
 *              the wait/retry protocol between them, behind
 *              pagepool_take_pages() and pagepool_give_pages()
 *   buffer.c   the dma-buf ops of a buffer
 *   dev.c      the two devices and their ioctls
 *   debugfs.c  /sys/kernel/debug/pagepool/NAME
 *   sysfs.c    /sys/kernel/pagepool/NAME, the pools' figures as a stable ABI
 *   owner.c    who holds the buffers, and the per-user limit
 *   check.c    checks of what parameters and ioctls pass in (check.h)
 *   compat.h   the differences between the kernels supported
 *
 * Locking
 * =======
 *
 * pagepool::lock, a spinlock, protects the allocator (@pa), the counters
 * (@stats), the owners (@owners and their fields), @zeroer_idle and the
 * zeroer's step (@zero_base, @zero_end, @zero_hit). It is held for
 * allocator calls and counter and owner updates, a few microseconds (a
 * limit check walks the pool's owners): never while sleeping, zeroing or
 * copying to or from userspace. The only lock taken under it is @zero_lock.
 *
 * pagepool::zero_lock, a spinlock, is held by the zeroer while it zeroes
 * one step of free pages (32 KiB, a few microseconds); it protects no
 * field. An allocation whose pages overlap the step takes it, after
 * dropping the pool's lock, to wait for the zeroer to be done with them
 * (zero.c). The zeroer takes it under the pool's lock, before the step is
 * visible.
 *
 * pagepool_buffer::lock, a mutex, protects a buffer's list of DMA mappings
 * and each mapping's fields. It is held while mapping, unmapping and
 * syncing them for the CPU or the devices, under the dma-buf's reservation
 * lock when the dma-buf core holds that (map and unmap), never the other
 * way round; and never together with the pool's lock: a buffer's pages go
 * back to the pool (pool lock) only from its release, after the last
 * attachment is gone.
 *
 * Each pool has its own locks; no code holds two pools' locks at once.
 * The list of pools is built at load and never changes until unload: it is
 * read without a lock.
 *
 * Read without a lock:
 *   - @name, @nid, @mode, @pages, @base_pfn, @phys, @vaddr, @reserved,
 *     @has_pages, @max_pages, @user_pages, @heap_align and @zeroer are
 *     set at load, before the devices exist, and never change
 *     afterwards.
 *   - @published is set and read only by the module's load and unload.
 *   - @zeroer_idle is written under the lock with WRITE_ONCE() and read
 *     with READ_ONCE() in the zeroer's wait_event() condition: the zeroer
 *     sets it under the lock when it finds nothing to zero, so a free that
 *     clears it afterwards (under the lock) always wakes it.
 *
 * Order: pool lock, then zero_lock. The pool's locks and a buffer's mutex
 * never nest.
 */
#ifndef _PAGEPOOL_H
#define _PAGEPOOL_H

#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/uidgid.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "../pagealloc/pagealloc.h"
#include "check.h"

struct dentry;
struct dma_buf;
struct pid;
struct seq_file;
struct task_struct;

/**
 * struct pagepool_stats - counters shown in debugfs and pool info
 * @allocations: successful allocations
 * @frees: buffers returned
 * @failures: allocations refused for lack of room
 * @alive: buffers alive
 * @pages_alive: pages in buffers alive
 * @bg_zeroed: pages zeroed by the background worker
 * @alloc_zeroed: pages zeroed by allocations
 * @wc_alive: write-combined buffers alive
 * @wc_pages: pages in them
 */
struct pagepool_stats {
	u64 allocations;
	u64 frees;
	u64 failures;
	u64 alive;
	u64 pages_alive;
	u64 bg_zeroed;
	u64 alloc_zeroed;
	u64 wc_alive;
	u64 wc_pages;
};

/**
 * struct pagepool_owner - a process and user that holds buffers of a pool
 * @tgid: the process (thread group), with a reference
 * @comm: its command name when it first allocated
 * @uid: the user it allocated as
 * @buffers: buffers charged to it and alive
 * @pages: pages in them
 * @list: in the pool's @owners
 *
 * All fields are under the pool's lock. An owner goes when its last
 * buffer is freed, whoever holds the buffers' fds by then.
 */
struct pagepool_owner {
	struct pid *tgid;
	char comm[TASK_COMM_LEN];
	kuid_t uid;
	u64 buffers;
	u64 pages;
	struct list_head list;
};

/**
 * struct pagepool - one pool
 * @name: its name, unique in the module
 * @nid: the NUMA node its memory, metadata and zeroer are on
 * @mode: the permissions of its device nodes
 * @published: its devices, sysfs and debugfs entries exist
 * @list: in the module's list of pools
 * @lock: see "Locking" above
 * @pa: the allocator, under @lock; its page numbers are pool pages
 * @stats: counters, under @lock
 * @pages: pages in the pool
 * @base_pfn: the pool's first page frame
 * @phys: its physical address
 * @vaddr: a kernel mapping of the whole pool, for zeroing
 * @reserved: taken from a boot-time reservation (memmap=) rather than from
 *	the page allocator
 * @has_pages: every page frame has a struct page (needed by importers)
 * @max_pages: the largest allocation allowed, in pages
 * @user_pages: the most pages one uid may hold at once (0: no limit)
 * @owners: the processes holding buffers (struct pagepool_owner), under
 *	@lock
 * @heap_align: the alignment, in pages, of heap-ABI allocations of at
 *	least that many pages (0: none)
 * @zeroer: the background zeroing thread, or NULL
 * @zeroer_idle: the zeroer found nothing to zero and sleeps, under @lock
 * @zero_lock: held by the zeroer while it zeroes a step (see "Locking")
 * @zero_base: first page of the step being zeroed, under @lock
 * @zero_end: one past its last page; 0 when there is none, under @lock
 * @zero_hit: an allocation took pages of the step, under @lock
 * @zero_wait: where it sleeps
 * @zero_kick: wakes it a little after small frees (zero.c)
 * @heap_dev: /dev/dma_heap/pagepool-NAME
 * @ctl_dev: /dev/pagepool-NAME
 * @heap_name: @heap_dev's name in /sys/class/misc
 * @heap_node: its path under /dev
 * @ctl_name: @ctl_dev's name in /sys/class/misc
 * @ctl_node: its path under /dev
 * @debugfs: /sys/kernel/debug/pagepool/NAME
 * @kobj: /sys/kernel/pagepool/NAME, or NULL
 */
struct pagepool {
	char name[PAGEPOOL_NAME_MAX + 1];
	int nid;
	umode_t mode;
	bool published;
	struct list_head list;
	spinlock_t lock;	/* @pa, @stats, @zeroer_idle */
	struct pagealloc pa;
	struct pagepool_stats stats;
	u64 pages;
	unsigned long base_pfn;
	phys_addr_t phys;
	void *vaddr;
	bool reserved;
	bool has_pages;
	u64 max_pages;
	u64 user_pages;
	struct list_head owners;
	u64 heap_align;
	struct task_struct *zeroer;
	bool zeroer_idle;
	spinlock_t zero_lock;	/* held while zeroing a step */
	u64 zero_base;
	u64 zero_end;
	bool zero_hit;
	wait_queue_head_t zero_wait;
	struct delayed_work zero_kick;
	struct miscdevice heap_dev;
	struct miscdevice ctl_dev;
	char heap_name[PAGEPOOL_NAME_MAX + 24];
	char heap_node[PAGEPOOL_NAME_MAX + 24];
	char ctl_name[PAGEPOOL_NAME_MAX + 24];
	char ctl_node[PAGEPOOL_NAME_MAX + 24];
	struct dentry *debugfs;
	struct kobject *kobj;
};

/**
 * struct pagepool_buffer - one allocation, exported as a dma-buf
 * @pool: the pool it came from
 * @offset: its first pool page
 * @pages: number of pages
 * @wc: write-combined: its pages' memory type is WC until it is freed
 * @owner: the process and user it is charged to
 * @lock: protects @mappings
 * @mappings: the buffer's DMA mappings, one for each device and direction
 *	(struct pagepool_mapping, in buffer.c)
 */
struct pagepool_buffer {
	struct pagepool *pool;
	u64 offset;
	u64 pages;
	bool wc;
	struct pagepool_owner *owner;
	struct mutex lock;	/* @mappings */
	struct list_head mappings;
};

/* zero.c: pages in and out of the pool, zeroed on the way out. */
int pagepool_take_pages(struct pagepool *pool, u64 pages, u64 align,
			bool prefer, u64 *base, u64 *clean);
void pagepool_give_pages(struct pagepool *pool, u64 base, u64 pages);
int pagepool_zeroer_start(struct pagepool *pool);
void pagepool_zeroer_stop(struct pagepool *pool);

/*
 * A pagepool_alloc_buf() flag beside the UAPI's PAGEPOOL_ALLOC_* ones,
 * never accepted from userspace: the alignment is a preference (the heap
 * ABI's default alignment, heap_align).
 */
#define PAGEPOOL_ALLOC_PREFER_ALIGN	BIT_ULL(63)

/* buffer.c */
int pagepool_check_alloc(struct pagepool *pool, u64 pages, u64 align,
			 u64 flags);
struct dma_buf *pagepool_alloc_buf(struct pagepool *pool, u64 pages,
				   u64 align, u64 flags, u32 fd_flags,
				   u64 *offset, u64 *clean);
struct pagepool_buffer *pagepool_buffer_get(struct pagepool *pool, int fd,
					    struct dma_buf **dmabuf);
int pagepool_buffer_sync(struct pagepool_buffer *buf, struct dma_buf *dmabuf,
			 u64 flags, u64 offset, u64 len);

/* dev.c */
int pagepool_devices_register(struct pagepool *pool, umode_t mode);
void pagepool_devices_unregister(struct pagepool *pool);

/* pool.c */
struct pagepool *pagepool_find(const char *name);

/* owner.c */
int pagepool_charge(struct pagepool *pool, u64 pages,
		    struct pagepool_owner **owner);
void pagepool_uncharge(struct pagepool *pool, struct pagepool_owner *owner,
		       u64 pages);
void pagepool_owners_show(struct seq_file *m, struct pagepool *pool);

/* sysfs.c */
int pagepool_sysfs_init(void);
void pagepool_sysfs_exit(void);
int pagepool_sysfs_add(struct pagepool *pool);
void pagepool_sysfs_remove(struct pagepool *pool);

/* debugfs.c */
void pagepool_debugfs_init(struct pagepool *pool, struct dentry *root);

#endif /* _PAGEPOOL_H */
