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
#include <linux/string.h>
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

/*
 * A number as C writes it: decimal, 0x-prefixed hexadecimal or 0-prefixed
 * octal (a mode such as 0600), no larger than @max.
 */
static int parse_num(const char *s, u64 max, u64 *val)
{
	unsigned int base = 10, digits = 0;
	u64 v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && s[1]) {
		base = 8;
		s++;
	}
	for (; *s; s++, digits++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return -EINVAL;
		if (d >= base || check_mul_overflow(v, (u64)base, &v) ||
		    check_add_overflow(v, (u64)d, &v))
			return -EINVAL;
	}
	if (!digits || v > max)
		return -EINVAL;
	*val = v;
	return 0;
}

/* Whether @name is 1 to PAGEPOOL_NAME_MAX characters of [a-z0-9_-]. */
static bool good_name(const char *name)
{
	size_t n;

	for (n = 0; name[n]; n++)
		if (!((name[n] >= 'a' && name[n] <= 'z') ||
		      (name[n] >= '0' && name[n] <= '9') ||
		      name[n] == '_' || name[n] == '-'))
			return false;
	return n >= 1 && n <= PAGEPOOL_NAME_MAX;
}

/* An option of a pools= entry: KEY=VALUE, each key at most once. */
static int parse_option(char *opt, struct pagepool_spec *spec,
			unsigned int *seen, const char **why)
{
	static const char * const keys[] = {
		"node", "phys", "bgzero", "max_pages", "mode", "user_pages",
	};
	char *val = strchr(opt, '=');
	unsigned int k;
	u64 v;

	if (val)
		*val++ = '\0';
	for (k = 0; k < ARRAY_SIZE(keys); k++)
		if (!strcmp(opt, keys[k]))
			break;
	if (k == ARRAY_SIZE(keys)) {
		*why = "unknown option";
		return -EINVAL;
	}
	if (*seen & (1U << k)) {
		*why = "option given twice";
		return -EINVAL;
	}
	*seen |= 1U << k;
	if (!val) {
		*why = "option without a value";
		return -EINVAL;
	}
	switch (k) {
	case 0:
		if (parse_num(val, 1 << 20, &v))
			goto bad;
		spec->node = (int)v;
		return 0;
	case 1:
		if (pagepool_parse_size(val, &spec->phys))
			goto bad;
		spec->has_phys = true;
		return 0;
	case 2:
		if (strcmp(val, "0") && strcmp(val, "1"))
			goto bad;
		spec->bgzero = val[0] == '1';
		return 0;
	case 3:
		if (parse_num(val, U64_MAX, &spec->max_pages))
			goto bad;
		return 0;
	case 4:
		if (parse_num(val, 0777, &v))
			goto bad;
		spec->mode = (u16)v;
		return 0;
	default:
		if (parse_num(val, U64_MAX, &spec->user_pages))
			goto bad;
		return 0;
	}
bad:
	*why = "bad option value";
	return -EINVAL;
}

/**
 * pagepool_parse_pool() - parse one entry of the pools= parameter
 * @entry: NAME:SIZE[:node=N][:phys=ADDR][:bgzero=0|1][:max_pages=P]
 *	[:user_pages=U][:mode=MODE]; cut up in place
 * @spec: set to what it asks for, with today's defaults for the options
 *	it leaves out (any node, background zeroing, no largest allocation
 *	but the pool's size, mode 0600)
 * @why: set to a phrase saying what is wrong, on error
 *
 * Return: 0 or -EINVAL.
 */
int pagepool_parse_pool(char *entry, struct pagepool_spec *spec,
			const char **why)
{
	char *name = strsep(&entry, ":"), *size = strsep(&entry, ":"), *opt;
	unsigned int seen = 0;

	memset(spec, 0, sizeof(*spec));
	spec->node = PAGEPOOL_ANY_NODE;
	spec->bgzero = true;
	spec->mode = 0600;
	if (!good_name(name)) {
		*why = "a name is 1 to 32 characters of a-z, 0-9, _ and -";
		return -EINVAL;
	}
	/* The debugfs files of the pool named pagepool are linked there. */
	if (!strcmp(name, "summary") || !strcmp(name, "chunks") ||
	    !strcmp(name, "stats") || !strcmp(name, "check") ||
	    !strcmp(name, "owners")) {
		*why = "summary, chunks, stats, check and owners are debugfs files' names";
		return -EINVAL;
	}
	strcpy(spec->name, name);
	if (!size || pagepool_parse_size(size, &spec->bytes)) {
		*why = "no size (a number with K, M, G or T)";
		return -EINVAL;
	}
	while ((opt = strsep(&entry, ":")))
		if (parse_option(opt, spec, &seen, why))
			return -EINVAL;
	return 0;
}

/**
 * pagepool_parse_pools() - parse the pools= parameter
 * @list: comma-separated entries, as pagepool_parse_pool() takes; cut up
 *	in place
 * @specs: PAGEPOOL_MAX_POOLS entries, set to the pools it asks for
 * @n: set to how many
 * @bad: set to the offending entry on error (what is left of it)
 * @why: set to what is wrong with it
 *
 * Return: 0, or -EINVAL for an empty list, a malformed entry, a name
 * given twice or more than PAGEPOOL_MAX_POOLS entries.
 */
int pagepool_parse_pools(char *list, struct pagepool_spec *specs,
			 unsigned int *n, const char **bad, const char **why)
{
	char *entry;
	unsigned int i;

	*n = 0;
	*bad = list;
	if (!*list) {
		*why = "no pool";
		return -EINVAL;
	}
	while ((entry = strsep(&list, ","))) {
		*bad = entry;
		if (*n == PAGEPOOL_MAX_POOLS) {
			*why = "more than 16 pools";
			return -EINVAL;
		}
		if (pagepool_parse_pool(entry, &specs[*n], why))
			return -EINVAL;
		*bad = specs[*n].name;
		for (i = 0; i < *n; i++)
			if (!strcmp(specs[i].name, specs[*n].name)) {
				*why = "a name given twice";
				return -EINVAL;
			}
		(*n)++;
	}
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
