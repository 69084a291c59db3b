/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pagepool argument checks: what module parameters and ioctls pass in,
 * validated apart from the driver so that KUnit (and userspace, through
 * tools/include/) can test them without a pool.
 */
#ifndef _PAGEPOOL_CHECK_H
#define _PAGEPOOL_CHECK_H

#include <linux/types.h>

/* Longest pool name, and most pools one module holds. */
#define PAGEPOOL_NAME_MAX	32
#define PAGEPOOL_MAX_POOLS	16
/* pagepool_spec::node when the pool may come from the loading CPU's node */
#define PAGEPOOL_ANY_NODE	(-1)

/**
 * struct pagepool_spec - what the load parameters ask of one pool
 * @name: 1 to PAGEPOOL_NAME_MAX characters of [a-z0-9_-]
 * @bytes: its size (not yet rounded to whole chunks)
 * @node: its NUMA node, or PAGEPOOL_ANY_NODE
 * @phys: the region reserved at boot to take it from, if @has_phys
 * @has_phys: @phys was given
 * @bgzero: zero its free pages in the background
 * @max_pages: the largest allocation, 0 for the pool's size
 * @user_pages: the most pages one uid may hold at once, 0 for no limit
 * @mode: the permissions of its device nodes
 */
struct pagepool_spec {
	char name[PAGEPOOL_NAME_MAX + 1];
	u64 bytes;
	int node;
	u64 phys;
	bool has_phys;
	bool bgzero;
	u64 max_pages;
	u64 user_pages;
	u16 mode;
};

int pagepool_parse_size(const char *s, u64 *bytes);
int pagepool_parse_pool(char *entry, struct pagepool_spec *spec,
			const char **why);
int pagepool_parse_pools(char *list, struct pagepool_spec *specs,
			 unsigned int *n, const char **bad, const char **why);
int pagepool_check_heap_alloc(u64 len, u32 fd, u32 fd_flags, u64 heap_flags,
			      u64 *pages);
int pagepool_check_reserved(const void *p, size_t len);
int pagepool_check_align(u64 align, u64 pool_pages);
int pagepool_check_sync(u64 flags, u64 offset, u64 len, u64 size);

#endif /* _PAGEPOOL_CHECK_H */
