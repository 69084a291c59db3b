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

/*
 * The single-pool parameters, as before pools= existed. Each records that
 * it was given, for giving both kinds is an error.
 */
static bool single_given;

#define SINGLE_PARAM_OPS(type)						\
static int set_single_##type(const char *val,				\
			     const struct kernel_param *kp)		\
{									\
	int ret = param_set_##type(val, kp);				\
									\
	if (!ret)							\
		single_given = true;					\
	return ret;							\
}									\
static const struct kernel_param_ops single_##type##_ops = {		\
	.set = set_single_##type,					\
	.get = param_get_##type,					\
}

SINGLE_PARAM_OPS(int);
SINGLE_PARAM_OPS(bool);
SINGLE_PARAM_OPS(ulong);
SINGLE_PARAM_OPS(ushort);

static int set_single_charp(const char *val, const struct kernel_param *kp)
{
	int ret = param_set_charp(val, kp);

	if (!ret)
		single_given = true;
	return ret;
}

static const struct kernel_param_ops single_charp_ops = {
	.set = set_single_charp,
	.get = param_get_charp,
	.free = param_free_charp,
};

static char *size = "64M";
module_param_cb(size, &single_charp_ops, &size, 0444);
MODULE_PARM_DESC(size, "Pool size, with K/M/G suffix; rounded up to 2 MiB chunks (default 64M)");

/* (x86 has a global phys_base: the variable takes another name.) */
static char *base_param;
module_param_cb(phys_base, &single_charp_ops, &base_param, 0444);
MODULE_PARM_DESC(phys_base, "Physical address of a region reserved at boot (memmap=) to use instead of allocating");

static int node = NUMA_NO_NODE;
module_param_cb(node, &single_int_ops, &node, 0444);
MODULE_PARM_DESC(node, "NUMA node to take the pool from (default: the loading CPU's)");

static bool bgzero = true;
module_param_cb(bgzero, &single_bool_ops, &bgzero, 0444);
MODULE_PARM_DESC(bgzero, "Zero free pages in the background (default 1)");

static ulong max_pages;
module_param_cb(max_pages, &single_ulong_ops, &max_pages, 0444);
MODULE_PARM_DESC(max_pages, "Largest allocation in pages (default 0: the pool)");

static ulong user_pages;
module_param_cb(user_pages, &single_ulong_ops, &user_pages, 0444);
MODULE_PARM_DESC(user_pages, "The most pages one user may hold at once, CAP_SYS_RESOURCE exempt (default 0: no limit)");

static ushort mode = 0600;
module_param_cb(mode, &single_ushort_ops, &mode, 0444);
MODULE_PARM_DESC(mode, "Permissions of the device nodes (default 0600)");

static char *pools;
module_param(pools, charp, 0444);
MODULE_PARM_DESC(pools, "Several pools: NAME:SIZE[:node=N][:phys=ADDR][:bgzero=0|1][:max_pages=P][:user_pages=U][:mode=MODE],... (instead of size=, phys_base=, node=, bgzero=, max_pages=, user_pages= and mode=, which make one pool named pagepool)");

static char *heap_align = "2M";
module_param(heap_align, charp, 0444);
MODULE_PARM_DESC(heap_align, "Heap-ABI allocations of at least this size start at a multiple of it, when such a run is free: a power of two with K/M/G suffix, 0 for none (default 2M, for huge mappings)");

/*
 * The pools, in the order pools= gives them. Built by pagepool_init() and
 * emptied by pagepool_exit(); in between it never changes, so it is read
 * without a lock (pagepool_find()).
 */
static LIST_HEAD(pagepool_list);
static struct dentry *debugfs_root;

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
	/* The region's node is where its memory is, not what was asked. */
	if (pool->has_pages)
		pool->nid = pfn_to_nid(pool->base_pfn);
	return 0;
}

/**
 * pagepool_find() - a pool by name
 * @name: its name
 *
 * Return: the pool, or NULL when there is none of that name. Pools live
 * until the module is unloaded.
 */
struct pagepool *pagepool_find(const char *name)
{
	struct pagepool *pool;

	list_for_each_entry(pool, &pagepool_list, list)
		if (!strcmp(pool->name, name))
			return pool;
	return NULL;
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

/*
 * The allocator's metadata, made on a CPU of the pool's node so that
 * kvcalloc() takes it from there (the core knows nothing of nodes).
 */
static long init_allocator(void *data)
{
	struct pagepool *pool = data;
	int err = pagealloc_init(&pool->pa, pool->pages);

	/* Alignments in pages are alignments of the physical address. */
	if (!err)
		pagealloc_set_origin(&pool->pa, pool->base_pfn);
	if (!err)
		err = pagealloc_grow(&pool->pa, 0, pool->pages);
	/* The pages are not zero yet: mark them so for the zeroer. */
	if (!err)
		err = pagealloc_dirty(&pool->pa, 0, pool->pages);
	if (err)
		pagealloc_destroy(&pool->pa);
	return err;
}

/* Check what a spec asks for, before any pool takes memory. */
static int check_spec(struct pagepool_spec *spec)
{
	u64 pages;

	/* (No larger than the allocator takes before rounding: no wrap.) */
	if (spec->bytes <= (u64)PAGEALLOC_MAX_PAGES << PAGE_SHIFT)
		spec->bytes = round_up(spec->bytes,
				       (u64)PAGEALLOC_CHUNK_PAGES << PAGE_SHIFT);
	pages = spec->bytes >> PAGE_SHIFT;
	if (pages > PAGEALLOC_MAX_PAGES || pages > totalram_pages()) {
		pr_err("pool %s: %llu MiB is more than the memory of this machine\n",
		       spec->name, spec->bytes >> 20);
		return -ENOMEM;
	}
	/* (A boot region's node is the region's: reserve_boot_region().) */
	if (spec->node != PAGEPOOL_ANY_NODE && spec->has_phys) {
		pr_err("pool %s: node= with phys=: a boot region's node is where it lies\n",
		       spec->name);
		return -EINVAL;
	}
	if (spec->node == PAGEPOOL_ANY_NODE)
		spec->node = numa_node_id();
	if (spec->node < 0 || spec->node >= MAX_NUMNODES ||
	    !node_online(spec->node) || !node_state(spec->node, N_MEMORY)) {
		pr_err("pool %s: node %d: no such node with memory\n",
		       spec->name, spec->node);
		return -EINVAL;
	}
	if (spec->max_pages > pages) {
		pr_err("pool %s: max_pages=%llu: larger than the pool (%llu pages)\n",
		       spec->name, spec->max_pages, pages);
		return -EINVAL;
	}
	if (spec->mode & ~0777) {
		pr_err("pool %s: mode=%#o: only permission bits are allowed\n",
		       spec->name, spec->mode);
		return -EINVAL;
	}
	return 0;
}

/* Give back what pool_create() made, in reverse. */
static void pool_destroy(struct pagepool *pool)
{
	pagepool_zeroer_stop(pool);
	WARN_ON(pool->pa.free_pages != pool->pages);
	pagealloc_destroy(&pool->pa);
	release_memory(pool);
	kfree(pool);
}

/*
 * Reserve and set up one pool, unseen yet: no device, debugfs or sysfs
 * entry, so that a later pool's failure can give it back with nobody
 * holding it.
 */
static int pool_create(const struct pagepool_spec *spec, u64 align,
		       struct pagepool **out)
{
	int nid = spec->node, cpu, err;
	struct pagepool *pool;

	pool = kzalloc_node(sizeof(*pool), GFP_KERNEL, nid);
	if (!pool)
		return -ENOMEM;
	strscpy(pool->name, spec->name, sizeof(pool->name));
	pool->nid = nid;
	pool->mode = spec->mode;
	spin_lock_init(&pool->lock);
	spin_lock_init(&pool->zero_lock);
	init_waitqueue_head(&pool->zero_wait);
	pool->pages = spec->bytes >> PAGE_SHIFT;
	pool->max_pages = spec->max_pages ? spec->max_pages : pool->pages;
	pool->user_pages = spec->user_pages;
	INIT_LIST_HEAD(&pool->owners);
	/* An alignment larger than the pool would make requests EINVAL. */
	if (align >> PAGE_SHIFT <= pool->pages)
		pool->heap_align = align >> PAGE_SHIFT;
	if (spec->has_phys)
		err = reserve_boot_region(pool, spec->phys, spec->bytes);
	else
		err = reserve_contig(pool, nid, pool->pages);
	if (err)
		goto err_free;
	nid = pool->nid;

	cpu = cpumask_any_and(cpumask_of_node(nid), cpu_online_mask);
	if (cpu < nr_cpu_ids)
		err = work_on_cpu(cpu, init_allocator, pool);
	else
		err = init_allocator(pool);
	if (err)
		goto err_release;
	if (spec->bgzero) {
		err = pagepool_zeroer_start(pool);
		if (err)
			goto err_allocator;
	}
	*out = pool;
	return 0;

err_allocator:
	pagealloc_destroy(&pool->pa);
err_release:
	release_memory(pool);
err_free:
	kfree(pool);
	return err;
}

/* Open a pool to its users: devices last, once all else is there. */
static int pool_publish(struct pagepool *pool)
{
	int err;

	pagepool_debugfs_init(pool, debugfs_root);
	err = pagepool_sysfs_add(pool);
	if (!err)
		err = pagepool_devices_register(pool, pool->mode);
	if (err) {
		pagepool_sysfs_remove(pool);
		debugfs_remove_recursive(pool->debugfs);
		return err;
	}
	pool->published = true;
	pr_info("%s: %llu MiB at %pa (%s, node %d), %s zeroing\n",
		pool->name, pool->pages >> (20 - PAGE_SHIFT), &pool->phys,
		pool->reserved ? "boot reservation" : "allocated", pool->nid,
		pool->zeroer ? "background" : "on-demand");
	return 0;
}

/* Close a pool to its users, if it was opened. */
static void pool_unpublish(struct pagepool *pool)
{
	if (!pool->published)
		return;
	pagepool_devices_unregister(pool);
	pagepool_sysfs_remove(pool);
	debugfs_remove_recursive(pool->debugfs);
	pool->published = false;
}

/* Close and give back every pool, the last first. */
static void destroy_all(void)
{
	struct pagepool *pool, *tmp;

	list_for_each_entry_reverse(pool, &pagepool_list, list)
		pool_unpublish(pool);
	list_for_each_entry_safe_reverse(pool, tmp, &pagepool_list, list) {
		list_del(&pool->list);
		pool_destroy(pool);
	}
}

/* The pools the parameters ask for: from pools=, or the single one. */
static int parse_params(struct pagepool_spec *specs, unsigned int *n)
{
	const char *bad, *why;
	char *list;
	int err;

	if (!pools) {
		struct pagepool_spec *spec = &specs[0];

		memset(spec, 0, sizeof(*spec));
		strscpy(spec->name, KBUILD_MODNAME, sizeof(spec->name));
		if (pagepool_parse_size(size, &spec->bytes)) {
			pr_err("size=%s: not a size (use a number with K, M or G)\n",
			       size);
			return -EINVAL;
		}
		if (base_param &&
		    pagepool_parse_size(base_param, &spec->phys)) {
			pr_err("phys_base=%s: not an address\n", base_param);
			return -EINVAL;
		}
		spec->has_phys = base_param;
		spec->node = node == NUMA_NO_NODE ? PAGEPOOL_ANY_NODE : node;
		spec->bgzero = bgzero;
		spec->max_pages = max_pages;
		spec->user_pages = user_pages;
		spec->mode = mode;
		*n = 1;
		return 0;
	}
	if (single_given) {
		pr_err("pools= is given with size=, phys_base=, node=, bgzero=, max_pages=, user_pages= or mode=: use one or the other\n");
		return -EINVAL;
	}
	list = kstrdup(pools, GFP_KERNEL);
	if (!list)
		return -ENOMEM;
	err = pagepool_parse_pools(list, specs, n, &bad, &why);
	if (err)
		pr_err("pools=: entry '%s': %s\n", bad, why);
	kfree(list);
	return err;
}

static int __init pagepool_init(void)
{
	struct pagepool_spec *specs;
	struct pagepool *pool;
	unsigned int n, i;
	u64 align = 0;
	int err;

	if (strcmp(heap_align, "0") &&
	    (pagepool_parse_size(heap_align, &align) ||
	     align & (align - 1) || align < PAGE_SIZE)) {
		pr_err("heap_align=%s: not 0 or a power of two of pages (use K, M or G)\n",
		       heap_align);
		return -EINVAL;
	}
	specs = kcalloc(PAGEPOOL_MAX_POOLS, sizeof(*specs), GFP_KERNEL);
	if (!specs)
		return -ENOMEM;
	err = parse_params(specs, &n);
	for (i = 0; !err && i < n; i++)
		err = check_spec(&specs[i]);
	if (err)
		goto out;

	err = pagepool_sysfs_init();
	if (err)
		goto out;
	debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	/*
	 * Every pool takes its memory before any is opened to users: a pool
	 * that fails gives the others back with nobody holding them.
	 */
	for (i = 0; i < n && !err; i++) {
		err = pool_create(&specs[i], align, &pool);
		if (!err)
			list_add_tail(&pool->list, &pagepool_list);
		else if (n > 1)
			pr_err("pool %s: not created (%d): every pool is given back\n",
			       specs[i].name, err);
	}
	if (!err)
		list_for_each_entry(pool, &pagepool_list, list) {
			err = pool_publish(pool);
			if (err)
				break;
		}
	if (err) {
		destroy_all();
		debugfs_remove_recursive(debugfs_root);
		pagepool_sysfs_exit();
	}
out:
	kfree(specs);
	return err;
}

static void __exit pagepool_exit(void)
{
	/* Every buffer holds a module reference: none is alive now. */
	destroy_all();
	debugfs_remove_recursive(debugfs_root);
	pagepool_sysfs_exit();
}

module_init(pagepool_init);
module_exit(pagepool_exit);

MODULE_DESCRIPTION("pagepool: physically contiguous page pools served as dma-bufs");
MODULE_LICENSE("GPL");
PAGEPOOL_IMPORT_NS_DMA_BUF();
