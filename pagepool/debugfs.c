// SPDX-License-Identifier: GPL-2.0
/*
 * pagepool debugfs: /sys/kernel/debug/pagepool/NAME/{summary,chunks,stats,
 * check,owners} for each pool.
 * The formats are described in Documentation/pagepool.rst. Each file takes
 * the pool's lock for a little at a time (DEBUGFS_CHUNKS chunks, or
 * DEBUGFS_ENTRIES summaries), and prints without it, so that a reader of a
 * pool of any size never keeps allocations waiting for a whole-pool walk.
 */

#include <linux/debugfs.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "pagepool.h"

/* Chunks checked, and summaries copied, under the lock at a time. */
#define DEBUGFS_CHUNKS	16
#define DEBUGFS_ENTRIES	1024
/* Walks "check" tries for one that sees the pool unchanged. */
#define CHECK_TRIES	3

/*
 * One line per level, then one per entry neither full nor wholly free.
 * Each level is copied DEBUGFS_ENTRIES at a time, after a flush.
 */
static int summary_show(struct seq_file *m, void *v)
{
	struct pagepool *pool = m->private;
	unsigned int l;

	for (l = 0; l < PAGEALLOC_LEVELS; l++) {
		u64 n = pool->pa.level_len[l], i, free = 0, full = 0;
		u64 whole = 1ULL << pagealloc_level_log_pages(l);
		u64 *copy = kvmalloc_array(n, sizeof(u64), GFP_KERNEL);

		if (!copy)
			return -ENOMEM;
		for (i = 0; i < n; i += DEBUGFS_ENTRIES) {
			u64 k = min_t(u64, n - i, DEBUGFS_ENTRIES);

			spin_lock(&pool->lock);
			pagealloc_flush(&pool->pa);
			memcpy(copy + i, pool->pa.level[l] + i,
			       k * sizeof(u64));
			spin_unlock(&pool->lock);
			cond_resched();
		}
		for (i = 0; i < n; i++) {
			full += !copy[i];
			free += pagealloc_sum_max(copy[i]) == whole;
		}
		seq_printf(m, "level %u: %llu entries of %llu pages, %llu free, %llu full\n",
			   l, n, whole, free, full);
		for (i = 0; i < n; i++) {
			if (!copy[i] || pagealloc_sum_max(copy[i]) == whole)
				continue;
			seq_printf(m, "  %u %llu %llu %llu %llu\n", l, i,
				   pagealloc_sum_start(copy[i]),
				   pagealloc_sum_max(copy[i]),
				   pagealloc_sum_end(copy[i]));
		}
		kvfree(copy);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(summary);

/* Print " a+n" for each run of set bits of a chunk bitmap. */
static void show_runs(struct seq_file *m, const char *word, u64 chunk,
		      const u64 *bits)
{
	u64 pos = 0, len, base = chunk * PAGEALLOC_CHUNK_PAGES;

	seq_puts(m, word);
	while (pagealloc_next_run(bits, PAGEALLOC_CHUNK_PAGES, &pos, &len)) {
		seq_printf(m, " %llu+%llu", base + pos, len);
		pos += len;
	}
}

static void *chunks_start(struct seq_file *m, loff_t *pos)
{
	struct pagepool *pool = m->private;

	return *pos < pool->pa.nchunks ? pos : NULL;
}

static void *chunks_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return chunks_start(m, pos);
}

static void chunks_stop(struct seq_file *m, void *v)
{
}

static int chunks_show(struct seq_file *m, void *v)
{
	struct pagepool *pool = m->private;
	u64 chunk = *(loff_t *)v;
	struct pagealloc_chunk copy;

	spin_lock(&pool->lock);
	copy = *pagealloc_chunk(&pool->pa, chunk);
	spin_unlock(&pool->lock);
	seq_printf(m, "chunk %llu ", chunk);
	show_runs(m, "used", chunk, copy.alloc);
	show_runs(m, " scav", chunk, copy.scav);
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations chunks_sops = {
	.start = chunks_start,
	.next = chunks_next,
	.stop = chunks_stop,
	.show = chunks_show,
};

static int chunks_open(struct inode *inode, struct file *file)
{
	int ret = seq_open(file, &chunks_sops);

	if (!ret)
		((struct seq_file *)file->private_data)->private =
			inode->i_private;
	return ret;
}

static const struct file_operations chunks_fops = {
	.owner = THIS_MODULE,
	.open = chunks_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release,
};

static int stats_show(struct seq_file *m, void *v)
{
	struct pagepool *pool = m->private;
	struct pagepool_stats s;
	u64 free, zeroed, largest;

	spin_lock(&pool->lock);
	s = pool->stats;
	free = pool->pa.free_pages;
	zeroed = pool->pa.scav_pages;
	largest = pagealloc_largest_free(&pool->pa);
	spin_unlock(&pool->lock);
	seq_printf(m, "pool_pages %llu\n", pool->pages);
	seq_printf(m, "chunks %llu\n", pool->pa.nchunks);
	seq_printf(m, "free_pages %llu\n", free);
	seq_printf(m, "zeroed_pages %llu\n", zeroed);
	seq_printf(m, "largest_free_pages %llu\n", largest);
	seq_printf(m, "allocations %llu\n", s.allocations);
	seq_printf(m, "frees %llu\n", s.frees);
	seq_printf(m, "failures %llu\n", s.failures);
	seq_printf(m, "allocations_alive %llu\n", s.alive);
	seq_printf(m, "bytes_alive %llu\n", s.pages_alive << PAGE_SHIFT);
	seq_printf(m, "bg_zeroed_pages %llu\n", s.bg_zeroed);
	seq_printf(m, "alloc_zeroed_pages %llu\n", s.alloc_zeroed);
	seq_printf(m, "wc_buffers_alive %llu\n", s.wc_alive);
	seq_printf(m, "wc_pages_alive %llu\n", s.wc_pages);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

/* Counts that change whenever the allocator does; under the lock. */
static u64 pool_changes(const struct pagepool *pool)
{
	return pool->stats.allocations + pool->stats.frees +
	       pool->stats.bg_zeroed;
}

/*
 * One walk of pagealloc's checks, DEBUGFS_CHUNKS at a time. Its totals
 * are checked only if the pool did not change during the walk: *quiet
 * says whether it did not.
 */
static int check_walk(struct pagepool *pool, char *msg, size_t len,
		      bool *quiet)
{
	struct pagealloc_tally t = {};
	u64 sc, ec, n = pool->pa.nchunks, changes;
	int err = 0;

	spin_lock(&pool->lock);
	changes = pool_changes(pool);
	spin_unlock(&pool->lock);
	for (sc = 0; sc < n && !err; sc = ec) {
		ec = min_t(u64, sc + DEBUGFS_CHUNKS, n);
		spin_lock(&pool->lock);
		err = pagealloc_check_part(&pool->pa, sc, ec, &t, msg, len);
		spin_unlock(&pool->lock);
		cond_resched();
	}
	if (err)
		return err;
	spin_lock(&pool->lock);
	*quiet = pool_changes(pool) == changes;
	if (*quiet)
		err = pagealloc_check_totals(&pool->pa, &t, msg, len);
	spin_unlock(&pool->lock);
	return err;
}

/*
 * "ok" or what is wrong. Every part of the pool is checked as it is when
 * its turn comes; the counters and indexes, which need the whole pool at
 * one moment, when a walk saw no change (of CHECK_TRIES at most).
 */
static int check_show(struct seq_file *m, void *v)
{
	struct pagepool *pool = m->private;
	char *msg = kmalloc(256, GFP_KERNEL);
	bool quiet = false;
	int try, err = 0;

	if (!msg)
		return -ENOMEM;
	for (try = 0; try < CHECK_TRIES && !quiet && !err; try++)
		err = check_walk(pool, msg, 256, &quiet);
	seq_printf(m, "%s\n", err || quiet ? msg : "ok");
	kfree(msg);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(check);

static int owners_show(struct seq_file *m, void *v)
{
	pagepool_owners_show(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(owners);

/**
 * pagepool_debugfs_init() - create /sys/kernel/debug/pagepool/NAME
 * @pool: the pool
 * @root: /sys/kernel/debug/pagepool
 *
 * For the pool named pagepool, the files are also in @root itself (as
 * links), where they were when the module had one pool.
 */
void pagepool_debugfs_init(struct pagepool *pool, struct dentry *root)
{
	static const char * const names[] = {
		"summary", "chunks", "stats", "check", "owners",
	};
	char target[PAGEPOOL_NAME_MAX + 16];
	unsigned int i;

	pool->debugfs = debugfs_create_dir(pool->name, root);
	debugfs_create_file("summary", 0400, pool->debugfs, pool,
			    &summary_fops);
	debugfs_create_file("chunks", 0400, pool->debugfs, pool, &chunks_fops);
	debugfs_create_file("stats", 0400, pool->debugfs, pool, &stats_fops);
	debugfs_create_file("check", 0400, pool->debugfs, pool, &check_fops);
	debugfs_create_file("owners", 0400, pool->debugfs, pool,
			    &owners_fops);
	if (strcmp(pool->name, KBUILD_MODNAME))
		return;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(target, sizeof(target), "%s/%s", pool->name,
			 names[i]);
		debugfs_create_symlink(names[i], root, target);
	}
}
