// SPDX-License-Identifier: GPL-2.0
/*
 * pagepool buffers: the dma-buf exporter. A buffer is a run of pool pages,
 * taken zeroed from the pool (zero.c) and exported as a dma-buf; it goes
 * back to the pool when the dma-buf is released, that is when its last
 * file descriptor and mapping are gone. Importers get one scatterlist
 * entry for the whole run.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/highmem.h>
#include <linux/iosys-map.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "pagepool.h"

/**
 * struct pagepool_attachment - one importer's view of a buffer
 * @dev: the importing device
 * @table: one entry for the whole buffer
 * @list: in the buffer's attachment list, under its mutex
 * @mapped: set while @table is DMA-mapped for @dev; see "Locking" in
 *	pagepool.h
 */
struct pagepool_attachment {
	struct device *dev;
	struct sg_table table;
	struct list_head list;
	bool mapped;
};

static int buffer_attach(struct dma_buf *dmabuf,
			 struct dma_buf_attachment *attachment)
{
	struct pagepool_buffer *buf = dmabuf->priv;
	struct pagepool_attachment *a;
	int ret;

	/* A boot region without struct pages can be mapped, not imported. */
	if (!buf->pool->has_pages)
		return -EINVAL;
	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	ret = sg_alloc_table(&a->table, 1, GFP_KERNEL);
	if (ret) {
		kfree(a);
		return ret;
	}
	sg_set_page(a->table.sgl,
		    pfn_to_page(buf->pool->base_pfn + buf->offset),
		    buf->pages << PAGE_SHIFT, 0);
	a->dev = attachment->dev;
	INIT_LIST_HEAD(&a->list);
	attachment->priv = a;
	mutex_lock(&buf->lock);
	list_add(&a->list, &buf->attachments);
	mutex_unlock(&buf->lock);
	return 0;
}

static void buffer_detach(struct dma_buf *dmabuf,
			  struct dma_buf_attachment *attachment)
{
	struct pagepool_buffer *buf = dmabuf->priv;
	struct pagepool_attachment *a = attachment->priv;

	mutex_lock(&buf->lock);
	list_del(&a->list);
	mutex_unlock(&buf->lock);
	sg_free_table(&a->table);
	kfree(a);
}

static struct sg_table *buffer_map(struct dma_buf_attachment *attachment,
				   enum dma_data_direction dir)
{
	struct pagepool_attachment *a = attachment->priv;
	int ret;

	ret = dma_map_sgtable(attachment->dev, &a->table, dir, 0);
	if (ret)
		return ERR_PTR(ret);
	WRITE_ONCE(a->mapped, true);
	return &a->table;
}

static void buffer_unmap(struct dma_buf_attachment *attachment,
			 struct sg_table *table, enum dma_data_direction dir)
{
	struct pagepool_attachment *a = attachment->priv;

	WRITE_ONCE(a->mapped, false);
	dma_unmap_sgtable(attachment->dev, table, dir, 0);
}

static int buffer_begin_cpu(struct dma_buf *dmabuf,
			    enum dma_data_direction dir)
{
	struct pagepool_buffer *buf = dmabuf->priv;
	struct pagepool_attachment *a;

	mutex_lock(&buf->lock);
	list_for_each_entry(a, &buf->attachments, list)
		if (READ_ONCE(a->mapped))
			dma_sync_sgtable_for_cpu(a->dev, &a->table, dir);
	mutex_unlock(&buf->lock);
	return 0;
}

static int buffer_end_cpu(struct dma_buf *dmabuf, enum dma_data_direction dir)
{
	struct pagepool_buffer *buf = dmabuf->priv;
	struct pagepool_attachment *a;

	mutex_lock(&buf->lock);
	list_for_each_entry(a, &buf->attachments, list)
		if (READ_ONCE(a->mapped))
			dma_sync_sgtable_for_device(a->dev, &a->table, dir);
	mutex_unlock(&buf->lock);
	return 0;
}

static int buffer_mmap(struct dma_buf *dmabuf, struct vm_area_struct *vma)
{
	struct pagepool_buffer *buf = dmabuf->priv;
	unsigned long size = vma->vm_end - vma->vm_start;

	/*
	 * Shared mappings only: a private one would copy pool pages. (A
	 * read-only file's shared mapping has VM_MAYSHARE but not VM_SHARED.)
	 */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	if (vma->vm_pgoff > buf->pages ||
	    size >> PAGE_SHIFT > buf->pages - vma->vm_pgoff)
		return -EINVAL;
	return remap_pfn_range(vma, vma->vm_start,
			       buf->pool->base_pfn + buf->offset + vma->vm_pgoff,
			       size, vma->vm_page_prot);
}

static int buffer_vmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct pagepool_buffer *buf = dmabuf->priv;

	/* The pool is mapped whole in the kernel: hand out that mapping. */
	iosys_map_set_vaddr(map, buf->pool->vaddr +
				 (buf->offset << PAGE_SHIFT));
	return 0;
}

/* Give a buffer's pages back to the pool. */
static void buffer_free(struct pagepool_buffer *buf)
{
	pagepool_give_pages(buf->pool, buf->offset, buf->pages);
	mutex_destroy(&buf->lock);
	kfree(buf);
}

static void buffer_release(struct dma_buf *dmabuf)
{
	buffer_free(dmabuf->priv);
}

static const struct dma_buf_ops pagepool_dmabuf_ops = {
	.attach = buffer_attach,
	.detach = buffer_detach,
	.map_dma_buf = buffer_map,
	.unmap_dma_buf = buffer_unmap,
	.begin_cpu_access = buffer_begin_cpu,
	.end_cpu_access = buffer_end_cpu,
	.mmap = buffer_mmap,
	.vmap = buffer_vmap,
	.release = buffer_release,
};

/**
 * pagepool_alloc_buf() - allocate zeroed pages as a dma-buf
 * @pool: the pool
 * @pages: number of pages, checked by the caller against the limits
 * @fd_flags: the access mode for the dma-buf's file (O_ACCMODE bits)
 * @offset: set to the buffer's first pool page
 * @clean: set to how many pages were already zero
 *
 * Return: the dma-buf, or an ERR_PTR: -ENOMEM when no run of @pages fits
 * (or memory for the bookkeeping is short), or another error.
 */
struct dma_buf *pagepool_alloc_buf(struct pagepool *pool, u64 pages,
				   u32 fd_flags, u64 *offset, u64 *clean)
{
	DEFINE_DMA_BUF_EXPORT_INFO(exp_info);
	struct pagepool_buffer *buf;
	struct dma_buf *dmabuf;
	int ret;

	buf = kzalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	ret = pagepool_take_pages(pool, pages, &buf->offset, clean);
	if (ret) {
		kfree(buf);
		return ERR_PTR(ret);
	}
	buf->pool = pool;
	buf->pages = pages;
	mutex_init(&buf->lock);
	INIT_LIST_HEAD(&buf->attachments);

	exp_info.ops = &pagepool_dmabuf_ops;
	exp_info.size = pages << PAGE_SHIFT;
	exp_info.flags = fd_flags & O_ACCMODE;
	exp_info.priv = buf;
	exp_info.owner = THIS_MODULE;
	dmabuf = dma_buf_export(&exp_info);
	if (IS_ERR(dmabuf)) {
		/* No dma-buf, so no release callback: free by hand. */
		buffer_free(buf);
		return dmabuf;
	}
	*offset = buf->offset;
	return dmabuf;
}

/**
 * pagepool_buffer_get() - the pagepool buffer behind a dma-buf fd
 * @pool: the pool
 * @fd: a file descriptor
 * @dmabuf: set to the dma-buf, with a reference the caller must put
 *
 * Return: the buffer, or an ERR_PTR: -EBADF for a bad descriptor,
 * -EINVAL for a file that is not a dma-buf from this pool.
 */
struct pagepool_buffer *pagepool_buffer_get(struct pagepool *pool, int fd,
					    struct dma_buf **dmabuf)
{
	struct dma_buf *d = dma_buf_get(fd);
	struct pagepool_buffer *buf;

	/* -EBADF for a bad descriptor, -EINVAL for a file not a dma-buf. */
	if (IS_ERR(d))
		return ERR_CAST(d);
	buf = d->priv;
	if (d->ops != &pagepool_dmabuf_ops || buf->pool != pool) {
		dma_buf_put(d);
		return ERR_PTR(-EINVAL);
	}
	*dmabuf = d;
	return buf;
}
