// SPDX-License-Identifier: GPL-2.0
/*
 * pagepool-client: a sample user of pagepool's in-kernel API
 * (<linux/pagepool.h>), for the tests. On load it takes the pool named by
 * pool= and allocates one buffer of pages= pages from it; /dev/pagepool-
 * client hands that buffer to userspace as dma-buf file descriptors
 * (pagepool-client.h) and tells the pool's figures. On unload it drops the
 * buffer and the pool.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-buf.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/uaccess.h>

#include "../../include/linux/pagepool.h"
#include "pagepool-client.h"

static char *pool_name = "pagepool";
module_param_named(pool, pool_name, charp, 0444);
MODULE_PARM_DESC(pool, "The pool to allocate from (default pagepool)");

static ulong pages = 16;
module_param(pages, ulong, 0444);
MODULE_PARM_DESC(pages, "Pages in the buffer (default 16)");

static struct pagepool *pool;
static struct dma_buf *buffer;

/*
 * A new descriptor of the buffer. It is installed only once its number
 * reached userspace, so that a failed copy leaves no stray descriptor; the
 * descriptor holds a reference of its own.
 */
static long client_get_fd(u32 __user *arg)
{
	int fd = get_unused_fd_flags(O_CLOEXEC);

	if (fd < 0)
		return fd;
	if (put_user(fd, arg)) {
		put_unused_fd(fd);
		return -EFAULT;
	}
	get_dma_buf(buffer);
	fd_install(fd, buffer->file);
	return 0;
}

static long client_pool_info(void __user *arg)
{
	struct pagepool_pool_info info;
	int ret = pagepool_get_info(pool, &info);

	if (ret)
		return ret;
	if (copy_to_user(arg, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

static long client_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	switch (cmd) {
	case PAGEPOOL_CLIENT_IOC_GET_FD:
		return client_get_fd((u32 __user *)arg);
	case PAGEPOOL_CLIENT_IOC_POOL_INFO:
		return client_pool_info((void __user *)arg);
	}
	return -ENOTTY;
}

static const struct file_operations client_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.unlocked_ioctl = client_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice client_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "pagepool_client",	/* not a pool: those are pagepool-NAME */
	.fops = &client_fops,
	.mode = 0600,
};

static int __init client_init(void)
{
	int ret;

	pool = pagepool_get(pool_name);
	if (IS_ERR(pool)) {
		pr_err("pool %s: %ld\n", pool_name, PTR_ERR(pool));
		return PTR_ERR(pool);
	}
	buffer = pagepool_alloc(pool, pages, 0, 0);
	if (IS_ERR(buffer)) {
		ret = PTR_ERR(buffer);
		pr_err("pool %s: %lu pages: %d\n", pool_name, pages, ret);
		goto err_pool;
	}
	ret = misc_register(&client_dev);
	if (ret)
		goto err_buffer;
	pr_info("%lu pages from pool %s\n", pages, pool_name);
	return 0;

err_buffer:
	dma_buf_put(buffer);
err_pool:
	pagepool_put(pool);
	return ret;
}

static void __exit client_exit(void)
{
	misc_deregister(&client_dev);
	dma_buf_put(buffer);
	pagepool_put(pool);
}

module_init(client_init);
module_exit(client_exit);

MODULE_DESCRIPTION("pagepool-client: a sample user of pagepool's in-kernel API");
MODULE_LICENSE("GPL");
/*
 * dma_buf_put() is in the DMA_BUF namespace. MODULE_IMPORT_NS() takes a
 * string from Linux 6.13 and a bare name before; both expand to this.
 */
MODULE_INFO(import_ns, "DMA_BUF");
