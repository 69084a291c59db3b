/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pagepool trace events: pages taken from a pool (pagepool_alloc), given
 * back (pagepool_free) and zeroed by the background zeroer
 * (pagepool_zero), in tracefs as events/pagepool/. zero.c, which takes
 * and gives pages and runs the zeroer, emits them and defines them
 * (CREATE_TRACE_POINTS). Kbuild puts this repository's include/ on the
 * include path, so that this header is <trace/events/pagepool.h> here as
 * it would be in the kernel tree, where define_trace.h looks for it.
 * Documentation/pagepool.rst describes the events.
 *
 * Page numbers (@base) are pool pages, as in debugfs and
 * PAGEPOOL_IOC_BUFFER_INFO; counts are in pages. The pool's name is a
 * fixed array, as sched_switch's task names are: pool names are short, and
 * it needs no __string() helpers, whose arguments changed in Linux 6.10.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM pagepool

#if !defined(_TRACE_PAGEPOOL_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_PAGEPOOL_H

#include <linux/tracepoint.h>
#include <linux/types.h>

#include "../../../pagepool/pagepool.h"

/*
 * pagepool_alloc: an allocation of pages from a pool, made or refused.
 * @pool: the pool
 * @pages: pages asked for
 * @base: the first pool page of the run (0 when refused)
 * @align: the alignment asked for, in pages (0 or 1: none)
 * @dirty: pages that were not known to be zero and were zeroed by the
 *	allocation (0 when refused)
 * @result: 0, or the negative errno of a refusal (-ENOMEM: no room)
 *
 * Emitted for every call of pagepool_take_pages(), once the pages are
 * zeroed, without the pool's lock.
 */
TRACE_EVENT(pagepool_alloc,

	TP_PROTO(const struct pagepool *pool, u64 pages, u64 base, u64 align,
		 u64 dirty, int result),

	TP_ARGS(pool, pages, base, align, dirty, result),

	TP_STRUCT__entry(
		__array(char, pool, PAGEPOOL_NAME_MAX + 1)
		__field(u64, pages)
		__field(u64, base)
		__field(u64, align)
		__field(u64, dirty)
		__field(int, result)
	),

	TP_fast_assign(
		strscpy(__entry->pool, pool->name, sizeof(__entry->pool));
		__entry->pages = pages;
		__entry->base = base;
		__entry->align = align;
		__entry->dirty = dirty;
		__entry->result = result;
	),

	TP_printk("pool=%s base=%llu pages=%llu align=%llu dirty=%llu result=%d",
		  __entry->pool, __entry->base, __entry->pages,
		  __entry->align, __entry->dirty, __entry->result)
);

/*
 * pagepool_run: a run of a pool's pages, the layout of pagepool_free and
 * pagepool_zero.
 * @pool: the pool
 * @base: the first pool page of the run
 * @pages: pages in it
 */
DECLARE_EVENT_CLASS(pagepool_run,

	TP_PROTO(const struct pagepool *pool, u64 base, u64 pages),

	TP_ARGS(pool, base, pages),

	TP_STRUCT__entry(
		__array(char, pool, PAGEPOOL_NAME_MAX + 1)
		__field(u64, base)
		__field(u64, pages)
	),

	TP_fast_assign(
		strscpy(__entry->pool, pool->name, sizeof(__entry->pool));
		__entry->base = base;
		__entry->pages = pages;
	),

	TP_printk("pool=%s base=%llu pages=%llu",
		  __entry->pool, __entry->base, __entry->pages)
);

/*
 * pagepool_free: pages given back to a pool (a buffer freed), emitted
 * before they go back, without the pool's lock.
 */
DEFINE_EVENT(pagepool_run, pagepool_free,

	TP_PROTO(const struct pagepool *pool, u64 base, u64 pages),

	TP_ARGS(pool, base, pages)
);

/*
 * pagepool_zero: a step of the background zeroer, at most 8 free pages
 * zeroed, emitted after zeroing them, without any lock. An allocation that
 * took some of them meanwhile zeroes them again itself.
 */
DEFINE_EVENT(pagepool_run, pagepool_zero,

	TP_PROTO(const struct pagepool *pool, u64 base, u64 pages),

	TP_ARGS(pool, base, pages)
);

#endif /* _TRACE_PAGEPOOL_H */

/* This part must be outside the header guard. */
#include <trace/define_trace.h>
