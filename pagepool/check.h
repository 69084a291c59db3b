/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pagepool argument checks: what module parameters and ioctls pass in,
 * validated apart from the driver so that KUnit (and userspace, through
 * tools/include/) can test them without a pool.
 */
#ifndef _PAGEPOOL_CHECK_H
#define _PAGEPOOL_CHECK_H

#include <linux/types.h>

int pagepool_parse_size(const char *s, u64 *bytes);
int pagepool_check_heap_alloc(u64 len, u32 fd, u32 fd_flags, u64 heap_flags,
			      u64 *pages);
int pagepool_check_reserved(const void *p, size_t len);
int pagepool_check_align(u64 align, u64 pool_pages);
int pagepool_check_sync(u64 flags, u64 offset, u64 len, u64 size);

#endif /* _PAGEPOOL_CHECK_H */
