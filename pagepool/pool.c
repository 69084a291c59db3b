// SPDX-License-Identifier: GPL-2.0
/*
 * pagepool's pool: the module's load parameters, and getting and returning
 * the memory. The pool comes from the page allocator (alloc_contig_range()
 * over a window found by scanning the node's zones, as alloc_contig_pages()
 * does) or from a region reserved at boot with memmap= (phys_base=).
 * pagealloc manages its pages (zero.c hands them out); the devices and
 * debugfs are created once the pool is whole and removed before it goes.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/nodemask.h>
#include <linux/page-flags.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "check.h"
#include "compat.h"
#include "pagepool.h"

static char *size = "64M";
module_param(size, charp, 0444);
MODULE_PARM_DESC(size, "Pool size, with K/M/G suffix; rounded up to 2 MiB chunks (default 64M)");

/* (x86 has a global phys_base: the variable takes another name.) */
static char *base_param;
module_param_named(phys_base, base_param, charp, 0444);
MODULE_PARM_DESC(phys_base, "Physical address of a region reserved at boot (memmap=) to use instead of allocating");

static int node = NUMA_NO_NODE;
module_param(node, int, 0444);
MODULE_PARM_DESC(node, "NUMA node to take the pool from (default: the loading CPU's)");

static bool bgzero = true;
module_param(bgzero, bool, 0444);
MODULE_PARM_DESC(bgzero, "Zero free pages in the background (default 1)");

static ulong max_pages;
module_param(max_pages, ulong, 0444);
MODULE_PARM_DESC(max_pages, "Largest allocation in pages (default 0: the pool)");

static char *heap_align = "2M";
module_param(heap_align, charp, 0444);
MODULE_PARM_DESC(heap_align, "Heap-ABI allocations of at least this size start at a multiple of it, when such a run is free: a power of two with K/M/G suffix, 0 for none (default 2M, for huge mappings)");

static ushort mode = 0600;
module_param(mode, ushort, 0444);
MODULE_PARM_DESC(mode, "Permissions of the device nodes (default 0600)");

static struct pagepool the_pool;

/* Whether [pfn, pfn + nr) can be migrated away: online, in zone, movable. */
static bool window_usable(struct zone *zone, unsigned long pfn,
			  unsigned long nr, unsigned long *bad)
{
	unsigned long i;

	for (i = pfn; i < pfn + nr; i++) {
		struct page *page = pfn_to_online_page(i);

		if (!page || page_zone(page) != zone || PageReserved(page) ||
		    PageHuge(page)) {
			*bad = i;
			return false;
		}
	}
	return true;
}

/*
 * Take nr pages from the page allocator: scan each zone of the node for a
 * window of online, movable pages, one pageblock at a time, and ask
 * alloc_contig_range() to migrate everything out of it.
 */
static int reserve_contig(struct pagepool *pool, int nid, unsigned long nr)
{
	unsigned long step = pageblock_nr_pages, tried = 0;
	pg_data_t *pgdat = NODE_DATA(nid);
	int z;

	for (z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];
		unsigned long pfn, end, bad;

		if (!populated_zone(zone))
			continue;
#ifdef CONFIG_ZONE_DMA
		/* Leave the 16 MiB of ISA DMA memory to those who need it. */
		if (zone_idx(zone) == ZONE_DMA)
			continue;
#endif
		end = zone_end_pfn(zone);
		pfn = ALIGN(zone->zone_start_pfn, step);
		while (pfn + nr <= end) {
			int ret, retry;

			if (fatal_signal_pending(current))
				return -EINTR;
			if (!window_usable(zone, pfn, nr, &bad)) {
				pfn = ALIGN(bad + 1, step);
				continue;
			}
			tried++;
			for (retry = 0; retry < 3; retry++) {
				ret = pagepool_alloc_contig_range(pfn, pfn + nr,
								  GFP_KERNEL |
								  __GFP_NOWARN);
				if (ret != -EBUSY)
					break;
				msleep(20);
			}
			if (!ret) {
				pool->base_pfn = pfn;
				pool->phys = PFN_PHYS(pfn);
				pool->vaddr = page_address(pfn_to_page(pfn));
				pool->has_pages = true;
				return 0;
			}
			pfn += step;
			cond_resched();
		}
	}
	pr_err("no %lu MiB window on node %d: %lu candidate windows failed to migrate\n",
	       nr >> (20 - PAGE_SHIFT), nid, tried);
	return -ENOMEM;
}

/*
 * Use a region reserved at boot with memmap=nn$ss: it must be reserved, not
 * System RAM, and not claimed by anybody else.
 */
static int reserve_boot_region(struct pagepool *pool, phys_addr_t phys,
			       u64 bytes)
{
	unsigned long pfn;

	if (!PAGE_ALIGNED(phys)) {
		pr_err("phys_base=%pa is not page aligned\n", &phys);
		return -EINVAL;
	}
	if (region_intersects(phys, bytes, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT ||
	    region_intersects(phys, bytes, IORESOURCE_MEM,
			      IORES_DESC_RESERVED) != REGION_INTERSECTS) {
		pr_err("[%pa, +%llu MiB) is not a reserved region (boot with memmap=%lluM$%pa)\n",
		       &phys, bytes >> 20, bytes >> 20, &phys);
		return -EINVAL;
	}
	if (!request_mem_region(phys, bytes, KBUILD_MODNAME)) {
		pr_err("[%pa, +%llu MiB) is in use\n", &phys, bytes >> 20);
		return -EBUSY;
	}
	pool->vaddr = memremap(phys, bytes, MEMREMAP_WB);
	if (!pool->vaddr) {
		release_mem_region(phys, bytes);
		pr_err("cannot map [%pa, +%llu MiB)\n", &phys, bytes >> 20);
		return -ENOMEM;
	}
	pool->phys = phys;
	pool->base_pfn = PHYS_PFN(phys);
	pool->reserved = true;
	pool->has_pages = true;
	for (pfn = pool->base_pfn; pfn < pool->base_pfn + (bytes >> PAGE_SHIFT);
	     pfn++)
		pool->has_pages &= pfn_valid(pfn);
	return 0;
}

static void release_memory(struct pagepool *pool)
{
	if (pool->reserved) {
		memunmap(pool->vaddr);
		release_mem_region(pool->phys, pool->pages << PAGE_SHIFT);
	} else {
		free_contig_range(pool->base_pfn, pool->pages);
	}
}

static int __init pagepool_init(void)
{
	struct pagepool *pool = &the_pool;
	u64 bytes, base = 0, align = 0;
	int nid = node, err;

	if (pagepool_parse_size(size, &bytes)) {
		pr_err("size=%s: not a size (use a number with K, M or G)\n",
		       size);
		return -EINVAL;
	}
	bytes = round_up(bytes, (u64)PAGEALLOC_CHUNK_PAGES << PAGE_SHIFT);
	if (bytes >> PAGE_SHIFT > PAGEALLOC_MAX_PAGES ||
	    bytes >> PAGE_SHIFT > totalram_pages()) {
		pr_err("size=%s: larger than the memory of this machine\n",
		       size);
		return -ENOMEM;
	}
	if (base_param && pagepool_parse_size(base_param, &base)) {
		pr_err("phys_base=%s: not an address\n", base_param);
		return -EINVAL;
	}
	if (strcmp(heap_align, "0") &&
	    (pagepool_parse_size(heap_align, &align) ||
	     align & (align - 1) || align < PAGE_SIZE)) {
		pr_err("heap_align=%s: not 0 or a power of two of pages (use K, M or G)\n",
		       heap_align);
		return -EINVAL;
	}
	if (mode & ~0777) {
		pr_err("mode=%#o: only permission bits are allowed\n", mode);
		return -EINVAL;
	}
	if (nid == NUMA_NO_NODE)
		nid = numa_node_id();
	if (nid < 0 || nid >= MAX_NUMNODES || !node_online(nid) ||
	    !node_state(nid, N_MEMORY)) {
		pr_err("node=%d: no such node with memory\n", node);
		return -EINVAL;
	}
	if (max_pages > bytes >> PAGE_SHIFT) {
		pr_err("max_pages=%lu: larger than the pool (%llu pages)\n",
		       max_pages, bytes >> PAGE_SHIFT);
		return -EINVAL;
	}

	spin_lock_init(&pool->lock);
	spin_lock_init(&pool->zero_lock);
	init_waitqueue_head(&pool->zero_wait);
	pool->pages = bytes >> PAGE_SHIFT;
	pool->max_pages = max_pages ? max_pages : pool->pages;
	pool->heap_align = align >> PAGE_SHIFT;
	if (base_param)
		err = reserve_boot_region(pool, base, bytes);
	else
		err = reserve_contig(pool, nid, pool->pages);
	if (err)
		return err;

	err = pagealloc_init(&pool->pa, pool->pages);
	/* Alignments in pages are alignments of the physical address. */
	if (!err)
		pagealloc_set_origin(&pool->pa, pool->base_pfn);
	if (!err)
		err = pagealloc_grow(&pool->pa, 0, pool->pages);
	/* The pages are not zero yet: mark them so for the zeroer. */
	if (!err)
		err = pagealloc_dirty(&pool->pa, 0, pool->pages);
	if (err)
		goto err_release;

	if (bgzero) {
		err = pagepool_zeroer_start(pool);
		if (err)
			goto err_release;
	}
	err = pagepool_devices_register(pool, mode);
	if (err)
		goto err_zeroer;
	pagepool_debugfs_init(pool);
	pr_info("%llu MiB at %pa (%s, node %d), %s zeroing\n",
		bytes >> 20, &pool->phys,
		pool->reserved ? "boot reservation" : "allocated", nid,
		pool->zeroer ? "background" : "on-demand");
	return 0;

err_zeroer:
	pagepool_zeroer_stop(pool);
err_release:
	pagealloc_destroy(&pool->pa);
	release_memory(pool);
	return err;
}

static void __exit pagepool_exit(void)
{
	struct pagepool *pool = &the_pool;

	/* Every buffer holds a module reference: none is alive now. */
	debugfs_remove_recursive(pool->debugfs);
	pagepool_devices_unregister(pool);
	pagepool_zeroer_stop(pool);
	WARN_ON(pool->pa.free_pages != pool->pages);
	pagealloc_destroy(&pool->pa);
	release_memory(pool);
}

module_init(pagepool_init);
module_exit(pagepool_exit);

MODULE_DESCRIPTION("pagepool: a physically contiguous page pool served as dma-bufs");
MODULE_LICENSE("GPL");
PAGEPOOL_IMPORT_NS_DMA_BUF();
