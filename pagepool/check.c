// SPDX-License-Identifier: GPL-2.0
/*
 * pagepool argument checks: what module parameters and ioctls pass in,
 * validated apart from the driver so that KUnit (and userspace, through
 * tools/include/) can test them without a pool.
 */

#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <uapi/linux/dma-buf.h>

#include "check.h"

/**
 * pagepool_parse_size() - parse a size such as "256M"
 * @s: decimal or 0x-prefixed hexadecimal digits, then an optional suffix
 *	K, M, G or T (either case) for KiB to TiB, then an optional newline
 * @bytes: set to the size in bytes
 *
 * Return: 0, or -EINVAL for an empty, malformed, zero or overflowing size;
 * @bytes is left alone on error.
 */
int pagepool_parse_size(const char *s, u64 *bytes)
{
	unsigned int base = 10, digits = 0, shift = 0;
	u64 v = 0;

	if (!s)
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (;; s++, digits++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			break;
		if (check_mul_overflow(v, (u64)base, &v) ||
		    check_add_overflow(v, (u64)d, &v))
			return -EINVAL;
	}
	if (!digits)
		return -EINVAL;
	switch (*s) {
	case 'k': case 'K':
		shift = 10;
		break;
	case 'm': case 'M':
		shift = 20;
		break;
	case 'g': case 'G':
		shift = 30;
		break;
	case 't': case 'T':
		shift = 40;
		break;
	}
	if (shift)
		s++;
	if (*s == '\n')
		s++;
	if (*s || !v || v > (U64_MAX >> shift))
		return -EINVAL;
	*bytes = v << shift;
	return 0;
}

/**
 * pagepool_check_heap_alloc() - check a DMA_HEAP_IOCTL_ALLOC request
 * @len: requested length in bytes
 * @fd: must be 0 on input
 * @fd_flags: O_CLOEXEC and an access mode only
 * @heap_flags: must be 0 (no heap flags are defined)
 * @pages: set to @len rounded up to whole pages, in pages
 *
 * The same checks, in the same order, as the kernel's dma-buf heaps.
 *
 * Return: 0 or -EINVAL.
 */
int pagepool_check_heap_alloc(u64 len, u32 fd, u32 fd_flags, u64 heap_flags,
			      u64 *pages)
{
	u64 aligned;

	if (fd)
		return -EINVAL;
	if (fd_flags & ~(O_CLOEXEC | O_ACCMODE))
		return -EINVAL;
	if (heap_flags)
		return -EINVAL;
	if (check_add_overflow(len, (u64)PAGE_SIZE - 1, &aligned))
		return -EINVAL;
	aligned >>= PAGE_SHIFT;
	if (!aligned)
		return -EINVAL;
	*pages = aligned;
	return 0;
}

/**
 * pagepool_check_reserved() - check that reserved fields are zero
 * @p: first reserved byte
 * @len: number of bytes
 *
 * Return: 0 if every byte is zero, else -EINVAL.
 */
int pagepool_check_reserved(const void *p, size_t len)
{
	const u8 *b = p;

	while (len--)
		if (*b++)
			return -EINVAL;
	return 0;
}

/**
 * pagepool_check_align() - check an allocation's alignment
 * @align: in pages: 0 or 1 for none, else a power of two
 * @pool_pages: pages in the pool; no larger alignment is allowed
 *
 * Return: 0 or -EINVAL.
 */
int pagepool_check_align(u64 align, u64 pool_pages)
{
	if (align <= 1)
		return 0;
	if (align & (align - 1) || align > pool_pages)
		return -EINVAL;
	return 0;
}

/**
 * pagepool_check_sync() - check a request to sync part of a buffer
 * @flags: DMA_BUF_SYNC_START or DMA_BUF_SYNC_END, with DMA_BUF_SYNC_READ,
 *	DMA_BUF_SYNC_WRITE or both, as for DMA_BUF_IOCTL_SYNC
 * @offset: first byte of the range in the buffer
 * @len: bytes in the range
 * @size: bytes in the buffer
 *
 * Return: 0, or -EINVAL for other flags, no direction, an empty range or
 * one that does not lie within the buffer.
 */
int pagepool_check_sync(u64 flags, u64 offset, u64 len, u64 size)
{
	u64 end;

	if (flags & ~DMA_BUF_SYNC_VALID_FLAGS_MASK ||
	    !(flags & DMA_BUF_SYNC_RW))
		return -EINVAL;
	if (!len || check_add_overflow(offset, len, &end) || end > size)
		return -EINVAL;
	return 0;
}
