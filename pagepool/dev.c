// SPDX-License-Identifier: GPL-2.0
/*
 * pagepool devices: /dev/dma_heap/pagepool speaks the dma-buf heap ABI
 * (<uapi/linux/dma-heap.h>) exactly, so dma-heap clients work unchanged;
 * /dev/pagepool carries pagepool's own ioctls (<uapi/linux/pagepool.h>).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/dma-buf.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <uapi/linux/dma-heap.h>

#include "../include/linux/pagepool.h"
#include "../include/uapi/linux/pagepool.h"
#include "check.h"
#include "pagepool.h"

/*
 * Allocate and install a file descriptor only once the answer reached
 * userspace, so that a failed copy leaves no stray descriptor behind. An
 * alignment that is only preferred (@strict false) is dropped when no
 * aligned run fits.
 */
static int alloc_and_reply(struct pagepool *pool, u64 pages, u64 align,
			   bool strict, u64 flags, u32 fd_flags,
			   int (*reply)(void *arg, int fd, u64 offset,
					u64 clean),
			   void *arg)
{
	struct dma_buf *dmabuf;
	u64 offset, clean;
	int fd, ret;

	ret = pagepool_check_alloc(pool, pages, align, flags);
	if (ret)
		return ret;
	fd = get_unused_fd_flags(fd_flags & O_CLOEXEC);
	if (fd < 0)
		return fd;
	if (!strict)
		flags |= PAGEPOOL_ALLOC_PREFER_ALIGN;
	dmabuf = pagepool_alloc_buf(pool, pages, align, flags, fd_flags,
				    &offset, &clean);
	if (IS_ERR(dmabuf)) {
		put_unused_fd(fd);
		return PTR_ERR(dmabuf);
	}
	ret = reply(arg, fd, offset, clean);
	if (ret) {
		put_unused_fd(fd);
		dma_buf_put(dmabuf);
		return ret;
	}
	fd_install(fd, dmabuf->file);
	return 0;
}

/* The dma-buf heap ABI, as drivers/dma-buf/dma-heap.c implements it. */

struct heap_reply {
	void __user *uarg;
	struct dma_heap_allocation_data *data;
	size_t out_size;
};

static int heap_reply(void *arg, int fd, u64 offset, u64 clean)
{
	struct heap_reply *r = arg;

	r->data->fd = fd;
	if (copy_to_user(r->uarg, r->data, r->out_size))
		return -EFAULT;
	return 0;
}

static long heap_ioctl(struct file *file, unsigned int ucmd,
		       unsigned long arg)
{
	struct pagepool *pool = container_of(file->private_data,
					     struct pagepool, heap_dev);
	const unsigned int kcmd = DMA_HEAP_IOCTL_ALLOC;
	size_t ksize = _IOC_SIZE(kcmd), usize = _IOC_SIZE(ucmd);
	size_t in_size = usize, out_size = usize;
	/* As dma-heap.c: the usual sizes need no allocation. */
	u64 stack[128 / sizeof(u64)];
	struct dma_heap_allocation_data *data = (void *)stack;
	struct heap_reply reply;
	u64 pages;
	int ret;

	/* One command: number 0, whatever the size (older or newer). */
	if (_IOC_NR(ucmd) != _IOC_NR(kcmd))
		return -EINVAL;
	if (!(ucmd & kcmd & IOC_IN))
		in_size = 0;
	if (!(ucmd & kcmd & IOC_OUT))
		out_size = 0;
	ksize = max3(in_size, out_size, ksize);
	if (ksize > sizeof(stack)) {
		data = kzalloc(ksize, GFP_KERNEL);
		if (!data)
			return -ENOMEM;
	} else {
		memset(stack, 0, ksize);
	}
	if (copy_from_user(data, (void __user *)arg, in_size)) {
		ret = -EFAULT;
		goto out;
	}
	ret = pagepool_check_heap_alloc(data->len, data->fd, data->fd_flags,
					data->heap_flags, &pages);
	if (ret)
		goto out;
	reply.uarg = (void __user *)arg;
	reply.data = data;
	reply.out_size = out_size;
	/* The ABI has no alignment: large buffers get the default one. */
	ret = alloc_and_reply(pool, pages,
			      pool->heap_align && pages >= pool->heap_align ?
			      pool->heap_align : 0, false, 0, data->fd_flags,
			      heap_reply, &reply);
out:
	if (data != (void *)stack)
		kfree(data);
	return ret;
}

static const struct file_operations heap_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.unlocked_ioctl = heap_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

/* pagepool's own ioctls: structures may grow, reserved fields are zero. */

static int get_arg(void *karg, size_t ksize, unsigned int cmd,
		   unsigned long arg)
{
	int ret = copy_struct_from_user(karg, ksize, (void __user *)arg,
					_IOC_SIZE(cmd));

	return ret == -E2BIG ? -EINVAL : ret;
}

static int put_arg(unsigned long arg, const void *karg, size_t ksize,
		   unsigned int cmd)
{
	if (copy_to_user((void __user *)arg, karg,
			 min_t(size_t, ksize, _IOC_SIZE(cmd))))
		return -EFAULT;
	return 0;
}

struct ctl_reply {
	unsigned long arg;
	unsigned int cmd;
	struct pagepool_alloc *req;
};

static int ctl_reply(void *arg, int fd, u64 offset, u64 clean)
{
	struct ctl_reply *r = arg;

	r->req->fd = fd;
	r->req->offset = offset;
	r->req->clean_pages = clean;
	return put_arg(r->arg, r->req, sizeof(*r->req), r->cmd);
}

static long ctl_alloc(struct pagepool *pool, unsigned int cmd,
		      unsigned long arg)
{
	struct pagepool_alloc req;
	struct ctl_reply reply = { arg, cmd, &req };
	int ret = get_arg(&req, sizeof(req), cmd, arg);

	if (ret)
		return ret;
	if (req.fd || req.offset || req.clean_pages ||
	    pagepool_check_reserved(req.reserved, sizeof(req.reserved)) ||
	    req.fd_flags & ~(O_CLOEXEC | O_ACCMODE))
		return -EINVAL;
	return alloc_and_reply(pool, req.pages, req.align, true, req.flags,
			       req.fd_flags, ctl_reply, &reply);
}

static long ctl_buffer_info(struct pagepool *pool, unsigned int cmd,
			    unsigned long arg)
{
	struct pagepool_buffer_info info;
	struct pagepool_buffer *buf;
	struct dma_buf *dmabuf;
	int ret = get_arg(&info, sizeof(info), cmd, arg);

	if (ret)
		return ret;
	if (info.reserved0 || info.offset || info.pages || info.phys ||
	    pagepool_check_reserved(info.reserved, sizeof(info.reserved)))
		return -EINVAL;
	buf = pagepool_buffer_get(pool, info.fd, &dmabuf);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	info.offset = buf->offset;
	info.pages = buf->pages;
	/* Where memory lies is for the administrator only. */
	if (capable(CAP_SYS_ADMIN))
		info.phys = pool->phys + (buf->offset << PAGE_SHIFT);
	dma_buf_put(dmabuf);
	return put_arg(arg, &info, sizeof(info), cmd);
}

static long ctl_pool_info(struct pagepool *pool, unsigned int cmd,
			  unsigned long arg)
{
	struct pagepool_pool_info info;
	int ret = get_arg(&info, sizeof(info), cmd, arg);

	if (ret)
		return ret;
	if (pagepool_check_reserved(&info, sizeof(info)))
		return -EINVAL;
	/* The figures are filled in one place, for the in-kernel API too. */
	ret = pagepool_get_info(pool, &info);
	if (ret)
		return ret;
	return put_arg(arg, &info, sizeof(info), cmd);
}

static long ctl_sync(struct pagepool *pool, unsigned int cmd,
		     unsigned long arg)
{
	struct pagepool_sync req;
	struct pagepool_buffer *buf;
	struct dma_buf *dmabuf;
	int ret = get_arg(&req, sizeof(req), cmd, arg);

	if (ret)
		return ret;
	if (req.reserved0 ||
	    pagepool_check_reserved(req.reserved, sizeof(req.reserved)))
		return -EINVAL;
	buf = pagepool_buffer_get(pool, req.fd, &dmabuf);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = pagepool_buffer_sync(buf, dmabuf, req.flags, req.offset,
				   req.len);
	dma_buf_put(dmabuf);
	return ret;
}

/* Whether cmd is @want's type, number and direction; its size may vary. */
static bool ctl_cmd_is(unsigned int cmd, unsigned int want)
{
	return _IOC_TYPE(cmd) == _IOC_TYPE(want) &&
	       _IOC_NR(cmd) == _IOC_NR(want) &&
	       _IOC_DIR(cmd) == _IOC_DIR(want);
}

static long ctl_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct pagepool *pool = container_of(file->private_data,
					     struct pagepool, ctl_dev);

	if (ctl_cmd_is(cmd, PAGEPOOL_IOC_ALLOC))
		return ctl_alloc(pool, cmd, arg);
	if (ctl_cmd_is(cmd, PAGEPOOL_IOC_BUFFER_INFO))
		return ctl_buffer_info(pool, cmd, arg);
	if (ctl_cmd_is(cmd, PAGEPOOL_IOC_POOL_INFO))
		return ctl_pool_info(pool, cmd, arg);
	if (ctl_cmd_is(cmd, PAGEPOOL_IOC_SYNC))
		return ctl_sync(pool, cmd, arg);
	return -ENOTTY;
}

static const struct file_operations ctl_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.unlocked_ioctl = ctl_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

/**
 * pagepool_devices_register() - create the pool's device nodes
 * @pool: the pool
 * @mode: permissions of the device nodes
 *
 * /dev/dma_heap/pagepool-NAME and /dev/pagepool-NAME, or, for the pool named
 * pagepool, /dev/dma_heap/pagepool and /dev/pagepool (whose names in
 * /sys/class/misc, pagepool-heap and pagepool, are as they always were;
 * other pools' have a dot, which no pool name has).
 *
 * Return: 0 or the error from misc_register().
 */
int pagepool_devices_register(struct pagepool *pool, umode_t mode)
{
	bool plain = !strcmp(pool->name, KBUILD_MODNAME);
	int ret;

	if (plain) {
		strscpy(pool->heap_name, "pagepool-heap",
			sizeof(pool->heap_name));
		strscpy(pool->heap_node, "dma_heap/pagepool",
			sizeof(pool->heap_node));
		strscpy(pool->ctl_name, "pagepool", sizeof(pool->ctl_name));
		strscpy(pool->ctl_node, "pagepool", sizeof(pool->ctl_node));
	} else {
		snprintf(pool->heap_name, sizeof(pool->heap_name),
			 "pagepool-heap.%s", pool->name);
		snprintf(pool->heap_node, sizeof(pool->heap_node),
			 "dma_heap/pagepool-%s", pool->name);
		snprintf(pool->ctl_name, sizeof(pool->ctl_name), "pagepool.%s",
			 pool->name);
		snprintf(pool->ctl_node, sizeof(pool->ctl_node), "pagepool-%s",
			 pool->name);
	}
	pool->heap_dev.minor = MISC_DYNAMIC_MINOR;
	pool->heap_dev.name = pool->heap_name;
	pool->heap_dev.nodename = pool->heap_node;
	pool->heap_dev.mode = mode;
	pool->heap_dev.fops = &heap_fops;
	pool->ctl_dev.minor = MISC_DYNAMIC_MINOR;
	pool->ctl_dev.name = pool->ctl_name;
	pool->ctl_dev.nodename = pool->ctl_node;
	pool->ctl_dev.mode = mode;
	pool->ctl_dev.fops = &ctl_fops;

	ret = misc_register(&pool->heap_dev);
	if (ret)
		return ret;
	ret = misc_register(&pool->ctl_dev);
	if (ret)
		misc_deregister(&pool->heap_dev);
	return ret;
}

/**
 * pagepool_devices_unregister() - remove the device nodes
 * @pool: the pool
 */
void pagepool_devices_unregister(struct pagepool *pool)
{
	misc_deregister(&pool->ctl_dev);
	misc_deregister(&pool->heap_dev);
}
