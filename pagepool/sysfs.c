// SPDX-License-Identifier: GPL-2.0
/*
 * pagepool sysfs: /sys/kernel/pagepool/NAME/, each pool's figures as a
 * stable ABI (Documentation/ABI/testing/sysfs-kernel-pagepool).
 *
 * Each pool's directory is a kobject of its own type (struct pool_kobj)
 * that points at the pool. The pool outlives it: pool_destroy() removes
 * the directory first, and its removal waits for every read in progress,
 * so no read can reach a pool being freed. The figures that change are
 * read under the pool's lock, one at a time, as ctl_pool_info() reads
 * them.
 */

#include <linux/kobject.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "pagepool.h"

/* /sys/kernel/pagepool, between pagepool_sysfs_init() and _exit(). */
static struct kobject *root_kobj;

/* A pool's directory: the kobject pagepool::kobj points at. */
struct pool_kobj {
	struct kobject kobj;
	struct pagepool *pool;
};

/* What each file shows. */
enum pool_figure {
	FIG_SIZE,
	FIG_NODE,
	FIG_PAGES,
	FIG_PHYS_BASE,
	FIG_FREE_PAGES,
	FIG_ZEROED_PAGES,
	FIG_LARGEST_FREE,
	FIG_BUFFERS,
	FIG_ALLOCATIONS,
	FIG_FAILURES,
	FIG_USER_PAGES,
};

/* One file: its name and mode, and the figure it shows. */
struct pool_attr {
	struct attribute attr;
	enum pool_figure figure;
};

#define POOL_ATTR(_name, _mode, _figure)				\
	static struct pool_attr pool_attr_##_name = {			\
		.attr = { .name = #_name, .mode = (_mode) },		\
		.figure = (_figure),					\
	}

POOL_ATTR(size, 0444, FIG_SIZE);
POOL_ATTR(node, 0444, FIG_NODE);
POOL_ATTR(pages, 0444, FIG_PAGES);
POOL_ATTR(phys_base, 0400, FIG_PHYS_BASE);
POOL_ATTR(free_pages, 0444, FIG_FREE_PAGES);
POOL_ATTR(zeroed_pages, 0444, FIG_ZEROED_PAGES);
POOL_ATTR(largest_free, 0444, FIG_LARGEST_FREE);
POOL_ATTR(buffers, 0444, FIG_BUFFERS);
POOL_ATTR(allocations, 0444, FIG_ALLOCATIONS);
POOL_ATTR(failures, 0444, FIG_FAILURES);
POOL_ATTR(user_pages, 0444, FIG_USER_PAGES);

static struct attribute *pool_attrs[] = {
	&pool_attr_size.attr,
	&pool_attr_node.attr,
	&pool_attr_pages.attr,
	&pool_attr_phys_base.attr,
	&pool_attr_free_pages.attr,
	&pool_attr_zeroed_pages.attr,
	&pool_attr_largest_free.attr,
	&pool_attr_buffers.attr,
	&pool_attr_allocations.attr,
	&pool_attr_failures.attr,
	&pool_attr_user_pages.attr,
	NULL,
};
ATTRIBUTE_GROUPS(pool);

/* A figure that changes, under the pool's lock. */
static u64 locked_figure(struct pagepool *pool, enum pool_figure figure)
{
	lockdep_assert_held(&pool->lock);
	switch (figure) {
	case FIG_FREE_PAGES:
		return pool->pa.free_pages;
	case FIG_ZEROED_PAGES:
		return pool->pa.scav_pages;
	case FIG_LARGEST_FREE:
		return pagealloc_largest_free(&pool->pa);
	case FIG_BUFFERS:
		return pool->stats.alive;
	case FIG_ALLOCATIONS:
		return pool->stats.allocations;
	case FIG_FAILURES:
		return pool->stats.failures;
	default:
		WARN_ON_ONCE(1);
		return 0;
	}
}

/*
 * Every file's show(). It runs only while the directory exists, and the
 * pool outlives that (see the top of the file).
 */
static ssize_t pool_attr_show(struct kobject *kobj, struct attribute *attr,
			      char *buf)
{
	struct pagepool *pool = container_of(kobj, struct pool_kobj,
					     kobj)->pool;
	enum pool_figure figure = container_of(attr, struct pool_attr,
					       attr)->figure;
	u64 val;

	switch (figure) {
	case FIG_SIZE:
		val = pool->pages << PAGE_SHIFT;
		break;
	case FIG_NODE:
		return sysfs_emit(buf, "%d\n", pool->nid);
	case FIG_PAGES:
		val = pool->pages;
		break;
	case FIG_USER_PAGES:
		val = pool->user_pages;
		break;
	case FIG_PHYS_BASE:
		return sysfs_emit(buf, "0x%llx\n", (u64)pool->phys);
	default:
		spin_lock(&pool->lock);
		val = locked_figure(pool, figure);
		spin_unlock(&pool->lock);
		break;
	}
	return sysfs_emit(buf, "%llu\n", val);
}

static const struct sysfs_ops pool_sysfs_ops = {
	.show = pool_attr_show,
};

static void pool_kobj_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct pool_kobj, kobj));
}

static const struct kobj_type pool_ktype = {
	.release = pool_kobj_release,
	.sysfs_ops = &pool_sysfs_ops,
	.default_groups = pool_groups,
};

/**
 * pagepool_sysfs_init() - create /sys/kernel/pagepool
 *
 * Called at load, before any pool is made.
 *
 * Return: 0 or -ENOMEM.
 */
int pagepool_sysfs_init(void)
{
	root_kobj = kobject_create_and_add(KBUILD_MODNAME, kernel_kobj);
	return root_kobj ? 0 : -ENOMEM;
}

/**
 * pagepool_sysfs_exit() - remove /sys/kernel/pagepool
 *
 * Called at unload, or when loading fails, after every pool's directory is
 * removed.
 */
void pagepool_sysfs_exit(void)
{
	kobject_put(root_kobj);
	root_kobj = NULL;
}

/**
 * pagepool_sysfs_add() - create /sys/kernel/pagepool/NAME
 * @pool: the pool, whole: its allocator and counters ready
 *
 * On success @pool->kobj is the directory's kobject; on failure it stays
 * NULL and nothing is left behind.
 *
 * Return: 0 or a negative error.
 */
int pagepool_sysfs_add(struct pagepool *pool)
{
	struct pool_kobj *pk;
	int err;

	pk = kzalloc(sizeof(*pk), GFP_KERNEL);
	if (!pk)
		return -ENOMEM;
	pk->pool = pool;
	err = kobject_init_and_add(&pk->kobj, &pool_ktype, root_kobj, "%s",
				   pool->name);
	if (err) {
		/* Frees pk, through pool_kobj_release(). */
		kobject_put(&pk->kobj);
		return err;
	}
	pool->kobj = &pk->kobj;
	return 0;
}

/**
 * pagepool_sysfs_remove() - remove /sys/kernel/pagepool/NAME, if made
 * @pool: the pool
 *
 * Once it returns no read of the pool's files is in progress and none can
 * start, so the pool may be freed. Does nothing when @pool->kobj is NULL
 * (pagepool_sysfs_add() failed or was not called).
 */
void pagepool_sysfs_remove(struct pagepool *pool)
{
	if (!pool->kobj)
		return;
	/* Removes the files, waiting for the reads in progress. */
	kobject_del(pool->kobj);
	kobject_put(pool->kobj);
	pool->kobj = NULL;
}
