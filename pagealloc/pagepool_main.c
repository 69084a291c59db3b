// SPDX-License-Identifier: GPL-2.0
/*
 * pagepool.ko: for now the page allocator core alone, so that its kernel
 * build is checked against the installed headers. The pool, the devices
 * and debugfs come next.
 */
#include <linux/module.h>

MODULE_DESCRIPTION("pagepool: contiguous page pool (allocator core)");
MODULE_LICENSE("GPL");
