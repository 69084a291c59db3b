/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * pagepool userspace API: the ioctls of /dev/pagepool.
 *
 * pagepool serves pages of one physically contiguous pool. Allocations are
 * dma-buf file descriptors, as from /dev/dma_heap/pagepool, which speaks the
 * dma-buf heap ABI (<linux/dma-heap.h>). This device adds allocation by
 * page count, information about a buffer and about the pool, and cache
 * sync over part of a buffer.
 *
 * Every structure has fixed-width fields; reserved fields and flags must be
 * zero, and a call that sets one fails with EINVAL. Documentation/
 * pagepool.rst has examples.
 */
#ifndef _UAPI_LINUX_PAGEPOOL_H
#define _UAPI_LINUX_PAGEPOOL_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define PAGEPOOL_IOC_MAGIC	0xE1

/**
 * struct pagepool_alloc - allocate pages
 * @pages: in: number of pages (the pool's page size: see pool info)
 * @fd_flags: in: flags for the new file descriptor: O_CLOEXEC and an
 *	access mode (O_RDONLY, O_WRONLY, O_RDWR), as for DMA_HEAP_IOCTL_ALLOC
 * @fd: out: the dma-buf file descriptor
 * @flags: in: 0, or PAGEPOOL_ALLOC_WRITECOMBINE
 * @offset: out: the first page's number in the pool
 * @clean_pages: out: how many of the pages were already known to be zero
 *	(the others were zeroed by this call)
 * @align: in: 0 or 1 for none, else a power of two no larger than the
 *	pool, in pages: the buffer's physical address is a multiple of @align
 *	pages (the lowest such run that is free: aligned first fit)
 * @reserved: must be 0
 *
 * The pages are physically contiguous and zero. They stay allocated while
 * any file descriptor or mapping of the dma-buf exists. (@align was the
 * first reserved field: callers that leave it 0 get what they always did.)
 *
 * PAGEPOOL_ALLOC_WRITECOMBINE makes a write-combined buffer: its mappings
 * (mmap, the kernel's, vmap) do not go through the CPU caches, and writes
 * to it are gathered into bursts, for buffers the CPU streams into and a
 * device reads. Reading it from the CPU is slow.
 * Where the platform or the pool cannot have it (a pool reserved at boot
 * with memmap=, a CPU without PAT): EOPNOTSUPP.
 */
struct pagepool_alloc {
	__u64 pages;
	__u32 fd_flags;
	__u32 fd;
	__u64 flags;
	__u64 offset;
	__u64 clean_pages;
	__u64 align;
	__u64 reserved[1];
};

/* struct pagepool_alloc flags */
#define PAGEPOOL_ALLOC_WRITECOMBINE	(1ULL << 0)

/**
 * struct pagepool_buffer_info - where a pagepool dma-buf lies
 * @fd: in: a dma-buf file descriptor allocated from this pool
 * @reserved0: must be 0
 * @offset: out: the buffer's first page's number in the pool
 * @pages: out: number of pages
 * @phys: out: physical address of the first page, reported only to a
 *	caller with CAP_SYS_ADMIN; 0 otherwise
 * @reserved: must be 0
 */
struct pagepool_buffer_info {
	__u32 fd;
	__u32 reserved0;
	__u64 offset;
	__u64 pages;
	__u64 phys;
	__u64 reserved[2];
};

/**
 * struct pagepool_pool_info - the state of the pool (all zero on input)
 * @size: pool size in bytes
 * @page_size: bytes per page
 * @pages: pages in the pool
 * @free_pages: pages not allocated
 * @largest_free: the longest run of free pages
 * @chunks: 512-page chunks in the pool
 * @zeroed_pages: free pages known to be zero
 * @allocations: buffers alive
 * @wc_buffers: write-combined buffers alive
 * @wc_pages: pages in them
 * @reserved: must be 0
 */
struct pagepool_pool_info {
	__u64 size;
	__u64 page_size;
	__u64 pages;
	__u64 free_pages;
	__u64 largest_free;
	__u64 chunks;
	__u64 zeroed_pages;
	__u64 allocations;
	__u64 wc_buffers;
	__u64 wc_pages;
	__u64 reserved[2];
};

/**
 * struct pagepool_sync - sync part of a buffer for the CPU or the devices
 * @fd: in: a dma-buf file descriptor allocated from this pool
 * @reserved0: must be 0
 * @flags: in: as for DMA_BUF_IOCTL_SYNC (<linux/dma-buf.h>):
 *	DMA_BUF_SYNC_START or DMA_BUF_SYNC_END, with DMA_BUF_SYNC_READ,
 *	DMA_BUF_SYNC_WRITE or both
 * @offset: in: first byte of the range, from the start of the buffer
 * @len: in: bytes in the range, not 0
 * @reserved: must be 0
 *
 * Like DMA_BUF_IOCTL_SYNC on the buffer's fd, but for [@offset, @offset +
 * @len) only: START waits for the buffer's fences as that does and makes
 * the range coherent for the CPU; END hands it back to the devices of
 * every importer that has the buffer mapped. A range that does not lie
 * within the buffer, or bad flags: EINVAL; an fd that is not open: EBADF;
 * one that is not a buffer of this pool: EINVAL. Nothing is synced then.
 */
struct pagepool_sync {
	__u32 fd;
	__u32 reserved0;
	__u64 flags;
	__u64 offset;
	__u64 len;
	__u64 reserved[2];
};

#define PAGEPOOL_IOC_ALLOC \
	_IOWR(PAGEPOOL_IOC_MAGIC, 0x0, struct pagepool_alloc)
#define PAGEPOOL_IOC_BUFFER_INFO \
	_IOWR(PAGEPOOL_IOC_MAGIC, 0x1, struct pagepool_buffer_info)
#define PAGEPOOL_IOC_POOL_INFO \
	_IOWR(PAGEPOOL_IOC_MAGIC, 0x2, struct pagepool_pool_info)
#define PAGEPOOL_IOC_SYNC \
	_IOW(PAGEPOOL_IOC_MAGIC, 0x3, struct pagepool_sync)

#endif /* _UAPI_LINUX_PAGEPOOL_H */
