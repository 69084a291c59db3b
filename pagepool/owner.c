// SPDX-License-Identifier: GPL-2.0
/*
 * pagepool owners: every buffer is charged to the process (thread group)
 * and user that allocated it, until it is freed, wherever its fds go; and
 * a pool's per-user limit (user_pages) is enforced on that charge.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uidgid.h>

#include "pagepool.h"

/* The pages uid @uid holds in @pool. Under the pool's lock. */
static u64 user_pages(struct pagepool *pool, kuid_t uid)
{
	struct pagepool_owner *o;
	u64 n = 0;

	lockdep_assert_held(&pool->lock);
	list_for_each_entry(o, &pool->owners, list)
		if (uid_eq(o->uid, uid))
			n += o->pages;
	return n;
}

/**
 * pagepool_charge() - charge an allocation to the calling process and user
 * @pool: the pool
 * @pages: pages about to be allocated
 * @owner: set to the owner charged, for pagepool_uncharge()
 *
 * Before the pages are taken, so that the limit holds however many
 * allocations race: a later failure to take them is uncharged.
 *
 * Return: 0; -EDQUOT when the caller's uid would hold more than the pool's
 * user_pages (unless the caller has CAP_SYS_RESOURCE); -ENOMEM.
 */
int pagepool_charge(struct pagepool *pool, u64 pages,
		    struct pagepool_owner **owner)
{
	struct pid *tgid = task_tgid(current);
	bool exempt = !pool->user_pages || capable(CAP_SYS_RESOURCE);
	kuid_t uid = current_uid();
	struct pagepool_owner *o, *fresh;
	u64 held = 0;

	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);
	if (!fresh)
		return -ENOMEM;
	spin_lock(&pool->lock);
	if (!exempt) {
		held = user_pages(pool, uid);
		if (held + pages > pool->user_pages) {
			spin_unlock(&pool->lock);
			kfree(fresh);
			pr_warn_ratelimited("pool %s: uid %u would hold %llu pages, over its limit of %llu\n",
					    pool->name,
					    from_kuid(&init_user_ns, uid),
					    held + pages, pool->user_pages);
			return -EDQUOT;
		}
	}
	list_for_each_entry(o, &pool->owners, list)
		if (o->tgid == tgid && uid_eq(o->uid, uid))
			goto found;
	o = fresh;
	fresh = NULL;
	o->tgid = get_pid(tgid);
	o->uid = uid;
	get_task_comm(o->comm, current);
	list_add_tail(&o->list, &pool->owners);
found:
	o->buffers++;
	o->pages += pages;
	spin_unlock(&pool->lock);
	kfree(fresh);
	*owner = o;
	return 0;
}

/**
 * pagepool_uncharge() - end the charge of a buffer
 * @pool: the pool
 * @owner: as pagepool_charge() set it
 * @pages: the pages charged
 */
void pagepool_uncharge(struct pagepool *pool, struct pagepool_owner *owner,
		       u64 pages)
{
	bool last;

	spin_lock(&pool->lock);
	owner->pages -= pages;
	last = !--owner->buffers;
	if (last)
		list_del(&owner->list);
	spin_unlock(&pool->lock);
	if (last) {
		put_pid(owner->tgid);
		kfree(owner);
	}
}

/**
 * pagepool_owners_show() - the owners, one line each
 * @m: the seq_file of debugfs owners
 * @pool: the pool
 *
 * "PID COMM UID BUFFERS PAGES", with the pid in the initial namespace and
 * blanks in the command name shown as '_'. The list is copied under the
 * pool's lock, a little at a time, and printed without it.
 */
void pagepool_owners_show(struct seq_file *m, struct pagepool *pool)
{
	struct pagepool_owner *o;
	unsigned int i, n = 0, max = 64;
	bool more;
	struct {
		pid_t pid;
		char comm[TASK_COMM_LEN];
		uid_t uid;
		u64 buffers, pages;
	} *v;
	char *c;

	v = kvcalloc(max, sizeof(*v), GFP_KERNEL);
	if (!v)
		return;
again:
	n = 0;
	more = false;
	spin_lock(&pool->lock);
	list_for_each_entry(o, &pool->owners, list) {
		if (n == max) {
			more = true;
			break;
		}
		v[n].pid = pid_nr(o->tgid);
		memcpy(v[n].comm, o->comm, sizeof(v[n].comm));
		v[n].uid = from_kuid_munged(&init_user_ns, o->uid);
		v[n].buffers = o->buffers;
		v[n].pages = o->pages;
		n++;
	}
	/* More owners than room: make room for them all and copy again. */
	if (more && max < 1 << 20) {
		spin_unlock(&pool->lock);
		kvfree(v);
		max *= 4;
		v = kvcalloc(max, sizeof(*v), GFP_KERNEL);
		if (!v)
			return;
		goto again;
	}
	spin_unlock(&pool->lock);
	for (i = 0; i < n; i++) {
		for (c = v[i].comm; *c; c++)
			if (*c == ' ' || *c == '\t' || *c == '\n')
				*c = '_';
		seq_printf(m, "%d %s %u %llu %llu\n", v[i].pid, v[i].comm,
			   v[i].uid, v[i].buffers, v[i].pages);
	}
	kvfree(v);
}
