// SPDX-License-Identifier: GPL-2.0
/*
 * pagepool buffers: the dma-buf exporter. A buffer is a run of pool pages,
 * taken zeroed from the pool (zero.c) and exported as a dma-buf; it goes
 * back to the pool when the dma-buf is released, that is when its last
 * file descriptor and mapping are gone. The attachments of one device
 * share one DMA mapping of the run, in as few scatterlist entries as the
 * device takes. A write-combined buffer's pages have the memory type WC,
 * in the kernel's linear map and in every mapping, from allocation until
 * they go back to the pool.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/err.h>
#include <linux/highmem.h>
#include <linux/iosys-map.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <uapi/linux/dma-buf.h>

#include "../include/uapi/linux/pagepool.h"
#include "check.h"
#include "compat.h"
#include "pagepool.h"

/**
 * struct pagepool_mapping - a buffer DMA-mapped for one device
 * @dev: the device
 * @dir: the direction it is mapped in
 * @table: the buffer's pages in as few entries as @dev takes
 * @users: attachments that have @table mapped
 * @list: in the buffer's list of mappings
 *
 * The attachments of one device that map a buffer in one direction share
 * one mapping, made by the first map and undone by the last unmap: the
 * DMA API does not support the same memory mapped twice at once for a
 * device that may write to it (the DMA-API checker reports overlapping
 * mappings), as when one buffer is imported through two DRM files of a
 * device, and one mapping costs an IOMMU one set of entries. All fields
 * are under the buffer's mutex.
 */
struct pagepool_mapping {
	struct device *dev;
	enum dma_data_direction dir;
	struct sg_table table;
	unsigned int users;
	struct list_head list;
};

/*
 * Pages from @pfn on, at most @left, that one scatterlist entry for @dev
 * may hold: no longer than the device's largest segment (64 KiB when its
 * driver set none) and not across its segment boundary.
 */
static u64 segment_pages(struct device *dev, unsigned long pfn, u64 left)
{
	u64 n = max_t(u64, dma_get_max_seg_size(dev) >> PAGE_SHIFT, 1);
	unsigned long boundary = dma_get_seg_boundary(dev);

	if (boundary < ULONG_MAX && boundary >= PAGE_SIZE - 1) {
		unsigned long mask = boundary >> PAGE_SHIFT;

		n = min_t(u64, n, mask + 1 - (pfn & mask));
	}
	return min(n, left);
}

/*
 * The scatterlist of a buffer for one device. The pages are contiguous,
 * but an entry must respect the device's limits (DMA_API_DEBUG_SG checks
 * them), and its length is an unsigned int.
 */
static int buffer_sg_table(struct pagepool_buffer *buf, struct device *dev,
			   struct sg_table *table)
{
	unsigned long first = buf->pool->base_pfn + buf->offset, pfn;
	struct scatterlist *sg;
	unsigned int nents = 0, i;
	u64 left, n;
	int ret;

	for (pfn = first, left = buf->pages; left; pfn += n, left -= n) {
		n = segment_pages(dev, pfn, left);
		if (++nents == UINT_MAX)
			return -EINVAL;
	}
	ret = sg_alloc_table(table, nents, GFP_KERNEL);
	if (ret)
		return ret;
	pfn = first;
	left = buf->pages;
	for_each_sgtable_sg(table, sg, i) {
		n = segment_pages(dev, pfn, left);
		sg_set_page(sg, pfn_to_page(pfn), n << PAGE_SHIFT, 0);
		pfn += n;
		left -= n;
	}
	return 0;
}

static int buffer_attach(struct dma_buf *dmabuf,
			 struct dma_buf_attachment *attachment)
{
	struct pagepool_buffer *buf = dmabuf->priv;

	/* A boot region without struct pages can be mapped, not imported. */
	return buf->pool->has_pages ? 0 : -EINVAL;
}

static struct sg_table *buffer_map(struct dma_buf_attachment *attachment,
				   enum dma_data_direction dir)
{
	struct pagepool_buffer *buf = attachment->dmabuf->priv;
	struct device *dev = attachment->dev;
	struct pagepool_mapping *m;
	int ret;

	mutex_lock(&buf->lock);
	list_for_each_entry(m, &buf->mappings, list)
		if (m->dev == dev && m->dir == dir)
			goto found;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m) {
		ret = -ENOMEM;
		goto err_unlock;
	}
	ret = buffer_sg_table(buf, dev, &m->table);
	if (ret)
		goto err_free;
	ret = dma_map_sgtable(dev, &m->table, dir, 0);
	if (ret)
		goto err_table;
	m->dev = dev;
	m->dir = dir;
	list_add(&m->list, &buf->mappings);
found:
	m->users++;
	mutex_unlock(&buf->lock);
	return &m->table;

err_table:
	sg_free_table(&m->table);
err_free:
	kfree(m);
err_unlock:
	mutex_unlock(&buf->lock);
	return ERR_PTR(ret);
}

static void buffer_unmap(struct dma_buf_attachment *attachment,
			 struct sg_table *table, enum dma_data_direction dir)
{
	struct pagepool_buffer *buf = attachment->dmabuf->priv;
	struct pagepool_mapping *m;

	m = container_of(table, struct pagepool_mapping, table);
	mutex_lock(&buf->lock);
	if (--m->users) {
		mutex_unlock(&buf->lock);
		return;
	}
	list_del(&m->list);
	mutex_unlock(&buf->lock);
	dma_unmap_sgtable(m->dev, &m->table, m->dir, 0);
	sg_free_table(&m->table);
	kfree(m);
}

/*
 * Sync bytes [@offset, @end) of every DMA mapping of the buffer for the CPU
 * or for its device, each in the direction it was mapped in, as the DMA
 * API requires whatever the CPU means to do: the part of each DMA segment
 * that lies in the range. Under the buffer's mutex.
 */
static void sync_range(struct pagepool_buffer *buf, u64 offset, u64 end,
		       bool for_cpu)
{
	struct pagepool_mapping *m;
	struct scatterlist *sg;
	unsigned int i;

	lockdep_assert_held(&buf->lock);
	list_for_each_entry(m, &buf->mappings, list) {
		u64 pos = 0;

		for_each_sgtable_dma_sg(&m->table, sg, i) {
			u64 lo = max(pos, offset);
			u64 hi = min(pos + sg_dma_len(sg), end);
			dma_addr_t addr = sg_dma_address(sg);

			if (lo < hi && for_cpu)
				dma_sync_single_range_for_cpu(m->dev, addr,
							      lo - pos, hi - lo,
							      m->dir);
			else if (lo < hi)
				dma_sync_single_range_for_device(m->dev, addr,
								 lo - pos,
								 hi - lo,
								 m->dir);
			pos += sg_dma_len(sg);
			if (pos >= end)
				break;
		}
	}
}

/* CPU access (DMA_BUF_IOCTL_SYNC): the whole buffer. */
static int buffer_begin_cpu(struct dma_buf *dmabuf,
			    enum dma_data_direction dir)
{
	struct pagepool_buffer *buf = dmabuf->priv;

	mutex_lock(&buf->lock);
	sync_range(buf, 0, buf->pages << PAGE_SHIFT, true);
	mutex_unlock(&buf->lock);
	return 0;
}

static int buffer_end_cpu(struct dma_buf *dmabuf, enum dma_data_direction dir)
{
	struct pagepool_buffer *buf = dmabuf->priv;

	mutex_lock(&buf->lock);
	sync_range(buf, 0, buf->pages << PAGE_SHIFT, false);
	mutex_unlock(&buf->lock);
	return 0;
}

/* The page frame of page @pg of a buffer. */
static unsigned long buffer_pfn(const struct pagepool_buffer *buf, u64 pg)
{
	return buf->pool->base_pfn + buf->offset + pg;
}

#ifdef PAGEPOOL_HUGE_PFNMAP
/* The buffer page mapped at @addr of @vma. */
static u64 vma_page(const struct vm_area_struct *vma, unsigned long addr)
{
	return vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
}

/*
 * Whether some 2 MiB of @vma can take a PMD entry: the first 2 MiB-aligned
 * address in it, 2 MiB from its end at least, maps a 2 MiB-aligned frame
 * (then every 2 MiB-aligned address does: the offset is the same).
 */
static bool vma_has_huge(const struct vm_area_struct *vma,
			 const struct pagepool_buffer *buf)
{
	unsigned long addr = ALIGN(vma->vm_start, PMD_SIZE);

	return addr >= vma->vm_start && addr + PMD_SIZE <= vma->vm_end &&
	       IS_ALIGNED(buffer_pfn(buf, vma_page(vma, addr)),
			  PMD_SIZE >> PAGE_SHIFT);
}

/*
 * 4 KiB entries, where no PMD fits (the head or tail of a mapping, or an
 * entry split by mprotect or munmap): for the whole 2 MiB around the
 * address that lies in the mapping, in one fault rather than 512.
 */
static vm_fault_t buffer_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct pagepool_buffer *buf = vma->vm_private_data;
	unsigned long start = max(vma->vm_start, vmf->address & PMD_MASK);
	unsigned long end = min(vma->vm_end,
				(vmf->address & PMD_MASK) + PMD_SIZE);
	unsigned long addr;
	vm_fault_t ret;
	u64 pg;

	if (vmf->pgoff >= buf->pages)
		return VM_FAULT_SIGBUS;
	ret = vmf_insert_pfn(vma, vmf->address, buffer_pfn(buf, vmf->pgoff));
	if (ret != VM_FAULT_NOPAGE)
		return ret;
	/* The rest is a prefault: an entry already there is left alone. */
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		pg = vma_page(vma, addr);
		if (addr == vmf->address)
			continue;
		if (pg >= buf->pages ||
		    vmf_insert_pfn(vma, addr, buffer_pfn(buf, pg)) !=
		    VM_FAULT_NOPAGE)
			break;
	}
	return ret;
}

/*
 * One PMD entry for the 2 MiB around the address, when they lie in the
 * mapping and in the buffer and start at a 2 MiB-aligned frame.
 */
static vm_fault_t buffer_huge_fault(struct vm_fault *vmf, unsigned int order)
{
	struct vm_area_struct *vma = vmf->vma;
	struct pagepool_buffer *buf = vma->vm_private_data;
	unsigned long addr = vmf->address & PMD_MASK;
	u64 pg;

	if (order != PMD_SHIFT - PAGE_SHIFT || addr < vma->vm_start ||
	    addr + PMD_SIZE > vma->vm_end)
		return VM_FAULT_FALLBACK;
	pg = vma_page(vma, addr);
	if (pg + (PMD_SIZE >> PAGE_SHIFT) > buf->pages ||
	    !IS_ALIGNED(buffer_pfn(buf, pg), PMD_SIZE >> PAGE_SHIFT))
		return VM_FAULT_FALLBACK;
	return pagepool_insert_pfn_pmd(vmf, buffer_pfn(buf, pg),
				       vmf->flags & FAULT_FLAG_WRITE);
}

static const struct vm_operations_struct buffer_vm_ops = {
	.fault = buffer_fault,
	.huge_fault = buffer_huge_fault,
};
#endif

/*
 * A user mapping: filled at fault time, with a PMD entry for each 2 MiB
 * that is aligned in both the address space and physical memory, where the
 * kernel supports that (compat.h) and some 2 MiB of the mapping can have
 * one; else mapped whole now, in 4 KiB entries, which costs one call here
 * rather than a fault per page.
 */
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
	/* The type the pages have (compat.h): PAT checks the two agree. */
	if (buf->wc)
		vma->vm_page_prot = pgprot_writecombine(vma->vm_page_prot);
#ifdef PAGEPOOL_HUGE_PFNMAP
	if (vma_has_huge(vma, buf)) {
		vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND |
			     VM_DONTDUMP);
		vma->vm_private_data = buf;
		vma->vm_ops = &buffer_vm_ops;
		return 0;
	}
#endif
	return remap_pfn_range(vma, vma->vm_start,
			       buffer_pfn(buf, vma->vm_pgoff), size,
			       vma->vm_page_prot);
}

static int buffer_vmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct pagepool_buffer *buf = dmabuf->priv;

	/*
	 * The pool is mapped whole in the kernel: hand out that mapping,
	 * write-combined for a write-combined buffer.
	 */
	iosys_map_set_vaddr(map, buf->pool->vaddr +
				 (buf->offset << PAGE_SHIFT));
	return 0;
}

/*
 * Give pages back to the pool, write-back again if @wc. Should that fail,
 * they are kept out of the pool for good (and the module cannot be
 * unloaded) rather than handed out with the wrong type.
 */
static void return_pages(struct pagepool *pool, u64 offset, u64 pages,
			 bool wc)
{
	if (wc && pagepool_set_memtype(pool->vaddr + (offset << PAGE_SHIFT),
				       pages, false)) {
		pr_err("pages %llu+%llu stay write-combined: kept out of the pool\n",
		       offset, pages);
		__module_get(THIS_MODULE);
		return;
	}
	pagepool_give_pages(pool, offset, pages);
}

/* Free a buffer and give its pages back to the pool. */
static void buffer_free(struct pagepool_buffer *buf)
{
	struct pagepool *pool = buf->pool;

	if (buf->wc) {
		spin_lock(&pool->lock);
		pool->stats.wc_alive--;
		pool->stats.wc_pages -= buf->pages;
		spin_unlock(&pool->lock);
	}
	return_pages(pool, buf->offset, buf->pages, buf->wc);
	pagepool_uncharge(pool, buf->owner, buf->pages);
	mutex_destroy(&buf->lock);
	kfree(buf);
}

static void buffer_release(struct dma_buf *dmabuf)
{
	buffer_free(dmabuf->priv);
}

static const struct dma_buf_ops pagepool_dmabuf_ops = {
	.attach = buffer_attach,
	.map_dma_buf = buffer_map,
	.unmap_dma_buf = buffer_unmap,
	.begin_cpu_access = buffer_begin_cpu,
	.end_cpu_access = buffer_end_cpu,
	.mmap = buffer_mmap,
	.vmap = buffer_vmap,
	.release = buffer_release,
};

/**
 * pagepool_check_alloc() - check an allocation request against a pool
 * @pool: the pool
 * @pages: pages asked for
 * @align: the alignment asked for, in pages (0 or 1: none)
 * @flags: PAGEPOOL_ALLOC_* flags
 *
 * The checks every way of allocating (the ioctls, the in-kernel API)
 * makes before pagepool_alloc_buf().
 *
 * Return: 0; -EINVAL for no pages, an unknown flag, an alignment that is
 * not a power of two or is larger than the pool, or more pages than
 * max_pages; -ENOMEM for more pages than the pool has.
 */
int pagepool_check_alloc(struct pagepool *pool, u64 pages, u64 align,
			 u64 flags)
{
	if (!pages || flags & ~PAGEPOOL_ALLOC_WRITECOMBINE ||
	    pagepool_check_align(align, pool->pages))
		return -EINVAL;
	if (pages > pool->max_pages)
		return pages > pool->pages ? -ENOMEM : -EINVAL;
	return 0;
}

/**
 * pagepool_alloc_buf() - allocate zeroed pages as a dma-buf
 * @pool: the pool
 * @pages: number of pages, checked by pagepool_check_alloc()
 * @align: 0, or the alignment of the buffer in pages, as for
 *	pagepool_take_pages()
 * @flags: 0 or PAGEPOOL_ALLOC_WRITECOMBINE, checked likewise, and
 *	PAGEPOOL_ALLOC_PREFER_ALIGN
 * @fd_flags: the access mode for the dma-buf's file (O_ACCMODE bits)
 * @offset: set to the buffer's first pool page
 * @clean: set to how many pages were already zero
 *
 * The buffer is charged to the calling process and user (owner.c).
 *
 * Return: the dma-buf, or an ERR_PTR: -ENOMEM when no run of @pages fits
 * (or memory for the bookkeeping is short), -EDQUOT beyond the caller's
 * per-user limit, -EOPNOTSUPP for a write-combined buffer where there can
 * be none, or another error.
 */
struct dma_buf *pagepool_alloc_buf(struct pagepool *pool, u64 pages,
				   u64 align, u64 flags, u32 fd_flags,
				   u64 *offset, u64 *clean)
{
	DEFINE_DMA_BUF_EXPORT_INFO(exp_info);
	bool wc = flags & PAGEPOOL_ALLOC_WRITECOMBINE;
	struct pagepool_buffer *buf;
	struct dma_buf *dmabuf;
	int ret;

	/*
	 * A boot region is not in the linear map, whose type is the one
	 * that set_memory_wc() changes: its memremap() mapping stays WB.
	 */
	if (wc && (pool->reserved || !pagepool_wc_supported())) {
		pr_notice_once("no write-combined buffers: %s\n",
			       pool->reserved ? "the pool is a boot region" :
			       "the CPU has no PAT");
		return ERR_PTR(-EOPNOTSUPP);
	}
	buf = kzalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	ret = pagepool_charge(pool, pages, &buf->owner);
	if (ret) {
		kfree(buf);
		return ERR_PTR(ret);
	}
	ret = pagepool_take_pages(pool, pages, align,
				  flags & PAGEPOOL_ALLOC_PREFER_ALIGN,
				  &buf->offset, clean);
	if (ret) {
		pagepool_uncharge(pool, buf->owner, pages);
		kfree(buf);
		return ERR_PTR(ret);
	}
	/* Zeroed through the WB linear map: set_memory_wc() flushes that. */
	if (wc) {
		ret = pagepool_set_memtype(pool->vaddr +
					   (buf->offset << PAGE_SHIFT),
					   pages, true);
		if (ret) {
			/* Part of them may have changed: all back to WB. */
			return_pages(pool, buf->offset, pages, true);
			pagepool_uncharge(pool, buf->owner, pages);
			kfree(buf);
			return ERR_PTR(ret);
		}
		spin_lock(&pool->lock);
		pool->stats.wc_alive++;
		pool->stats.wc_pages += pages;
		spin_unlock(&pool->lock);
	}
	buf->pool = pool;
	buf->pages = pages;
	buf->wc = wc;
	mutex_init(&buf->lock);
	INIT_LIST_HEAD(&buf->mappings);

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

/**
 * pagepool_buffer_sync() - sync part of a buffer for the CPU or its devices
 * @buf: the buffer, as pagepool_buffer_get() found it
 * @dmabuf: its dma-buf
 * @flags: DMA_BUF_SYNC_* flags, as for DMA_BUF_IOCTL_SYNC
 * @offset: first byte of the range in the buffer
 * @len: bytes in the range
 *
 * As DMA_BUF_IOCTL_SYNC, for [@offset, @offset + @len) only: a start
 * waits for the buffer's fences (all of them for a write, the writers'
 * for a read) and syncs the range for the CPU; an end syncs it for the
 * devices.
 *
 * Return: 0; -EINVAL for bad flags or a range not within the buffer, with
 * nothing synced; or the error of an interrupted wait.
 */
int pagepool_buffer_sync(struct pagepool_buffer *buf, struct dma_buf *dmabuf,
			 u64 flags, u64 offset, u64 len)
{
	bool write = flags & DMA_BUF_SYNC_WRITE;
	long ret;

	if (pagepool_check_sync(flags, offset, len, buf->pages << PAGE_SHIFT))
		return -EINVAL;
	if (!(flags & DMA_BUF_SYNC_END)) {
		ret = dma_resv_wait_timeout(dmabuf->resv,
					    dma_resv_usage_rw(write), true,
					    MAX_SCHEDULE_TIMEOUT);
		if (ret < 0)
			return ret;
	}
	mutex_lock(&buf->lock);
	sync_range(buf, offset, offset + len, !(flags & DMA_BUF_SYNC_END));
	mutex_unlock(&buf->lock);
	return 0;
}
