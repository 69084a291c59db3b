/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A deliberately naive model of the page allocator, and a randomized
 * differential test that runs the real allocator and the model side by side.
 *
 * The model keeps three plain bitmaps (grown, allocated, scavenged) with one
 * bit per page and answers every call by scanning them linearly. The test
 * issues a random mix of calls, valid and invalid, to both, and after every
 * call compares the results, every page's state and the allocator's own
 * consistency check. The KUnit suite runs it briefly; the userspace driver
 * tools/testing/pagealloc-difftest.c runs it for millions of calls.
 *
 * The model is deliberately independent of pagealloc.c: it shares none of
 * its code (no bitmap helper, no run search, no argument check), so that a
 * mistake in the core cannot hide by being made twice. Where the two look
 * alike, keep them apart.
 */
#ifndef _PAGEALLOC_MODEL_H
#define _PAGEALLOC_MODEL_H

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/types.h>

#include "../pagealloc/pagealloc.h"
#include "../tools/lib/rand.h"

struct pagealloc_model {
	u64 capacity;
	u64 origin;
	u64 words;
	u64 *grown;
	u64 *used;
	u64 *scav;
};

static inline bool model_bit(const u64 *b, u64 page)
{
	return b[page / 64] & BIT_ULL(page % 64);
}

static inline void model_put(u64 *b, u64 page, bool on)
{
	if (on)
		b[page / 64] |= BIT_ULL(page % 64);
	else
		b[page / 64] &= ~BIT_ULL(page % 64);
}

static inline int model_init(struct pagealloc_model *m, u64 capacity)
{
	memset(m, 0, sizeof(*m));
	m->capacity = round_up(capacity, PAGEALLOC_CHUNK_PAGES);
	m->words = m->capacity / 64;
	m->grown = kvcalloc(m->words, sizeof(u64), GFP_KERNEL);
	m->used = kvcalloc(m->words, sizeof(u64), GFP_KERNEL);
	m->scav = kvcalloc(m->words, sizeof(u64), GFP_KERNEL);
	if (!m->grown || !m->used || !m->scav)
		return -ENOMEM;
	return 0;
}

static inline void model_destroy(struct pagealloc_model *m)
{
	kvfree(m->grown);
	kvfree(m->used);
	kvfree(m->scav);
	memset(m, 0, sizeof(*m));
}

/* The same argument checks, in the same order, as the allocator. */
static inline int model_check_range(const struct pagealloc_model *m, u64 base,
				    u64 npages)
{
	u64 limit, p;

	if (!npages)
		return -EINVAL;
	if (check_add_overflow(base, npages, &limit))
		return -EOVERFLOW;
	if (limit > m->capacity)
		return -ERANGE;
	for (p = base; p < limit; p++)
		if (!model_bit(m->grown, p))
			return -ERANGE;
	return 0;
}

static inline int model_grow(struct pagealloc_model *m, u64 base, u64 npages)
{
	u64 limit, p;

	if (!npages || (base | npages) % PAGEALLOC_CHUNK_PAGES)
		return -EINVAL;
	if (check_add_overflow(base, npages, &limit))
		return -EOVERFLOW;
	if (limit > m->capacity)
		return -ERANGE;
	for (p = base; p < limit; p++)
		if (model_bit(m->grown, p))
			return -EEXIST;
	for (p = base; p < limit; p++) {
		model_put(m->grown, p, true);
		model_put(m->scav, p, true);
	}
	return 0;
}

static inline bool model_free_page(const struct pagealloc_model *m, u64 p)
{
	return model_bit(m->grown, p) && !model_bit(m->used, p);
}

static inline u64 model_mark_used(struct pagealloc_model *m, u64 base,
				  u64 npages)
{
	u64 p, scav = 0;

	for (p = base; p < base + npages; p++) {
		scav += model_bit(m->scav, p);
		model_put(m->used, p, true);
		model_put(m->scav, p, false);
	}
	return scav;
}

/* First fit by a linear scan, page by page. */
static inline int model_alloc(struct pagealloc_model *m, u64 npages,
			      u64 *base, u64 *scav)
{
	u64 p, run = 0;

	if (!npages)
		return -EINVAL;
	for (p = 0; p < m->capacity; p++) {
		run = model_free_page(m, p) ? run + 1 : 0;
		if (run == npages) {
			*base = p + 1 - npages;
			*scav = model_mark_used(m, *base, npages);
			return 0;
		}
	}
	return -ENOMEM;
}

/*
 * Aligned first fit, page by page: the first page p that ends a run of
 * npages free pages whose first page plus the origin is a multiple of
 * align. Bit i of dirty (if not NULL) is set when page base + i was not
 * scavenged.
 */
static inline int model_alloc_aligned(struct pagealloc_model *m, u64 npages,
				      u64 align, u64 *base, u64 *scav,
				      u64 *dirty)
{
	u64 p, run = 0, i;

	if (!npages || align > PAGEALLOC_MAX_PAGES)
		return -EINVAL;
	for (i = 0; i < 64; i++)
		if (align == BIT_ULL(i))
			break;
	if (align > 1 && i == 64)
		return -EINVAL;
	if (align < 2)
		align = 1;
	for (p = 0; p < m->capacity; p++) {
		run = model_free_page(m, p) ? run + 1 : 0;
		if (run < npages || (m->origin + p + 1 - npages) % align)
			continue;
		*base = p + 1 - npages;
		if (dirty) {
			memset(dirty, 0, DIV_ROUND_UP(npages, 64) * sizeof(u64));
			for (i = 0; i < npages; i++)
				if (!model_bit(m->scav, *base + i))
					model_put(dirty, i, true);
		}
		*scav = model_mark_used(m, *base, npages);
		return 0;
	}
	return -ENOMEM;
}

static inline int model_free(struct pagealloc_model *m, u64 base, u64 npages)
{
	int err = model_check_range(m, base, npages);
	u64 p;

	if (err)
		return err;
	for (p = base; p < base + npages; p++)
		if (!model_bit(m->used, p))
			return -ENOENT;
	for (p = base; p < base + npages; p++)
		model_put(m->used, p, false);
	return 0;
}

static inline int model_take(struct pagealloc_model *m, u64 base, u64 npages)
{
	int err = model_check_range(m, base, npages);
	u64 p;

	if (err)
		return err;
	for (p = base; p < base + npages; p++)
		if (model_bit(m->used, p))
			return -EBUSY;
	model_mark_used(m, base, npages);
	return 0;
}

static inline int model_dirty(struct pagealloc_model *m, u64 base, u64 npages)
{
	int err = model_check_range(m, base, npages);
	u64 p;

	if (err)
		return err;
	for (p = base; p < base + npages; p++)
		model_put(m->scav, p, false);
	return 0;
}

/* Scavenging marks the highest free pages that are not yet scavenged. */
static inline int model_scavenge(struct pagealloc_model *m, u64 npages,
				 u64 *done)
{
	u64 p = m->capacity;

	if (!npages)
		return -EINVAL;
	*done = 0;
	while (p-- > 0 && *done < npages) {
		if (model_free_page(m, p) && !model_bit(m->scav, p)) {
			model_put(m->scav, p, true);
			(*done)++;
		}
	}
	return 0;
}

/*
 * The lowest free page not scavenged and the pages after it that are too,
 * up to max and not past the end of its chunk.
 */
static inline u64 model_scavenge_find(struct pagealloc_model *m, u64 max,
				      u64 *base)
{
	u64 p, n = 0, limit;

	for (p = 0; p < m->capacity; p++)
		if (model_free_page(m, p) && !model_bit(m->scav, p))
			break;
	if (!max || p == m->capacity)
		return 0;
	limit = (p / PAGEALLOC_CHUNK_PAGES + 1) * PAGEALLOC_CHUNK_PAGES;
	while (n < max && p + n < limit && model_free_page(m, p + n) &&
	       !model_bit(m->scav, p + n))
		n++;
	*base = p;
	return n;
}

/* Mark the free pages of a range scavenged. */
static inline int model_scavenge_range(struct pagealloc_model *m, u64 base,
				       u64 npages, u64 *done)
{
	int err = model_check_range(m, base, npages);
	u64 p;

	if (err)
		return err;
	*done = 0;
	for (p = base; p < base + npages; p++) {
		if (model_free_page(m, p) && !model_bit(m->scav, p)) {
			model_put(m->scav, p, true);
			(*done)++;
		}
	}
	return 0;
}

#define DIFFTEST_LIVE	512

struct pagealloc_difftest {
	/* Set by the caller. */
	u64 seed;
	u64 capacity;
	u64 ops;
	/* Filled in by the run. */
	u64 calls[8];
	u64 rejected;
	char msg[256];
	/* Working state. */
	u64 rng;
	struct pagealloc pa;
	struct pagealloc_model m;
	u64 live_base[DIFFTEST_LIVE];
	u64 live_len[DIFFTEST_LIVE];
	unsigned int nlive;
	u64 *dirty[2];
};

/* DT_ALIGNED counts the allocations of DT_ALLOC that were aligned. */
enum {
	DT_GROW, DT_ALLOC, DT_FREE, DT_TAKE, DT_DIRTY, DT_SCAVENGE, DT_BAD,
	DT_ALIGNED,
};

/*
 * An origin: 0, small, just below or above a power of two, or any.
 */
static inline u64 difftest_origin(struct pagealloc_difftest *dt)
{
	u64 r = splitmix64_below(&dt->rng, 5);
	u64 k = BIT_ULL(splitmix64_below(&dt->rng, 40));

	if (r == 0)
		return 0;
	if (r == 1)
		return splitmix64_below(&dt->rng, 2 * PAGEALLOC_CHUNK_PAGES);
	if (r == 2)
		return k - 1 - splitmix64_below(&dt->rng, 3);
	if (r == 3)
		return k + splitmix64_below(&dt->rng, 3);
	return splitmix64_next(&dt->rng);
}

/*
 * An alignment: none (0 or 1), a small power of two, one of a chunk or a
 * few, now and then a huge one; rarely one that is not a power of two.
 */
static inline u64 difftest_align(struct pagealloc_difftest *dt)
{
	u64 r = splitmix64_below(&dt->rng, 100);

	if (r < 10)
		return splitmix64_below(&dt->rng, 2);
	if (r < 70)
		return BIT_ULL(1 + splitmix64_below(&dt->rng, 6));
	if (r < 92)
		return BIT_ULL(7 + splitmix64_below(&dt->rng, 5));
	if (r < 98)
		return BIT_ULL(12 + splitmix64_below(&dt->rng, 24));
	return 3 + splitmix64_below(&dt->rng, 1000);
}

/* The dirty bitmaps of an aligned allocation agree on its npages bits. */
static inline int difftest_compare_dirty(struct pagealloc_difftest *dt,
					 u64 npages)
{
	u64 w, words = DIV_ROUND_UP(npages, 64);

	for (w = 0; w < words; w++) {
		u64 m = w == words - 1 && npages % 64 ?
			BIT_ULL(npages % 64) - 1 : ~0ULL;

		if ((dt->dirty[0][w] ^ dt->dirty[1][w]) & m) {
			scnprintf(dt->msg, sizeof(dt->msg),
				  "aligned alloc of %llu: dirty word %llu %llx, model %llx",
				  npages, w, dt->dirty[0][w] & m,
				  dt->dirty[1][w] & m);
			return -1;
		}
	}
	return 0;
}

/* A page count: mostly small, sometimes up to a few chunks, rarely huge. */
static inline u64 difftest_size(struct pagealloc_difftest *dt)
{
	u64 r = splitmix64_below(&dt->rng, 100);

	if (r < 50)
		return 1 + splitmix64_below(&dt->rng, 4);
	if (r < 80)
		return 1 + splitmix64_below(&dt->rng, 64);
	if (r < 95)
		return 1 + splitmix64_below(&dt->rng, 2 * PAGEALLOC_CHUNK_PAGES);
	return 1 + splitmix64_below(&dt->rng, dt->capacity);
}

/* A range near the live allocations or anywhere in the capacity. */
static inline void difftest_range(struct pagealloc_difftest *dt, u64 *base,
				  u64 *npages)
{
	*npages = difftest_size(dt);
	if (dt->nlive && splitmix64_below(&dt->rng, 2)) {
		unsigned int i = splitmix64_below(&dt->rng, dt->nlive);

		*base = dt->live_base[i] + dt->live_len[i] / 2;
	} else {
		*base = splitmix64_below(&dt->rng, dt->capacity);
	}
}

static inline int difftest_compare_pages(struct pagealloc_difftest *dt)
{
	u64 c, w;

	for (c = 0; c < dt->capacity / PAGEALLOC_CHUNK_PAGES; c++) {
		const struct pagealloc_chunk *ch = pagealloc_chunk(&dt->pa, c);
		u64 off = c * PAGEALLOC_CHUNK_WORDS;

		if (!ch != !dt->m.grown[off]) {
			scnprintf(dt->msg, sizeof(dt->msg),
				  "chunk %llu: grown %d, model says %d", c,
				  !!ch, !!dt->m.grown[off]);
			return -1;
		}
		if (!ch)
			continue;
		for (w = 0; w < PAGEALLOC_CHUNK_WORDS; w++) {
			if (ch->alloc[w] != dt->m.used[off + w] ||
			    ch->scav[w] != dt->m.scav[off + w]) {
				scnprintf(dt->msg, sizeof(dt->msg),
					  "chunk %llu word %llu: alloc %llx scav %llx, model %llx %llx",
					  c, w, ch->alloc[w], ch->scav[w],
					  dt->m.used[off + w], dt->m.scav[off + w]);
				return -1;
			}
		}
	}
	return 0;
}

/* Drop [base, base + npages) from the live allocations, keeping the rest. */
static inline void difftest_carve(struct pagealloc_difftest *dt, u64 base,
				  u64 npages)
{
	u64 end = base + npages;
	unsigned int k = 0;

	while (k < dt->nlive) {
		u64 lo = dt->live_base[k], hi = lo + dt->live_len[k];

		if (end <= lo || hi <= base) {
			k++;
			continue;
		}
		if (lo < base && end < hi && dt->nlive < DIFFTEST_LIVE) {
			dt->live_base[dt->nlive] = end;
			dt->live_len[dt->nlive++] = hi - end;
		}
		if (lo < base) {
			dt->live_len[k++] = base - lo;
		} else if (end < hi) {
			dt->live_base[k] = end;
			dt->live_len[k++] = hi - end;
		} else {
			dt->nlive--;
			dt->live_base[k] = dt->live_base[dt->nlive];
			dt->live_len[k] = dt->live_len[dt->nlive];
		}
	}
}

/* One random call on both sides; returns -1 on the first disagreement. */
static inline int difftest_step(struct pagealloc_difftest *dt)
{
	u64 r = splitmix64_below(&dt->rng, 100), base = 0, n = 0;
	u64 b1 = 0, b2 = 0, s1 = 0, s2 = 0, align = 0;
	bool aligned = false;
	int kind, e1, e2;
	unsigned int i = 0;

	if (r < 4)
		kind = DT_GROW;
	else if (r < 50)
		kind = DT_ALLOC;
	else if (r < 84)
		kind = DT_FREE;
	else if (r < 87)
		kind = DT_TAKE;
	else if (r < 92)
		kind = DT_DIRTY;
	else if (r < 97)
		kind = DT_SCAVENGE;
	else
		kind = DT_BAD;
	dt->calls[kind]++;

	switch (kind) {
	case DT_GROW:
		n = (1 + splitmix64_below(&dt->rng, 4)) * PAGEALLOC_CHUNK_PAGES;
		base = splitmix64_below(&dt->rng, dt->capacity /
				      PAGEALLOC_CHUNK_PAGES) *
		       PAGEALLOC_CHUNK_PAGES;
		if (!splitmix64_below(&dt->rng, 8))
			base += splitmix64_below(&dt->rng, 3);
		e1 = pagealloc_grow(&dt->pa, base, n);
		e2 = model_grow(&dt->m, base, n);
		break;
	case DT_ALLOC:
		n = difftest_size(dt);
		if (!splitmix64_below(&dt->rng, 200)) {
			/* A new origin, as between grows or after them. */
			dt->m.origin = difftest_origin(dt);
			pagealloc_set_origin(&dt->pa, dt->m.origin);
		}
		if (splitmix64_below(&dt->rng, 2)) {
			aligned = true;
			align = difftest_align(dt);
			dt->calls[DT_ALIGNED]++;
			e1 = pagealloc_alloc_aligned(&dt->pa, n, align, &b1, &s1,
						     dt->dirty[0]);
			e2 = model_alloc_aligned(&dt->m, n, align, &b2, &s2,
						 dt->dirty[1]);
		} else {
			e1 = pagealloc_alloc(&dt->pa, n, &b1, &s1);
			e2 = model_alloc(&dt->m, n, &b2, &s2);
		}
		if (!e1 && !e2 && dt->nlive < DIFFTEST_LIVE) {
			dt->live_base[dt->nlive] = b1;
			dt->live_len[dt->nlive++] = n;
		}
		break;
	case DT_FREE:
		if (dt->nlive && splitmix64_below(&dt->rng, 10)) {
			/* All of a live allocation, or its head or tail. */
			i = splitmix64_below(&dt->rng, dt->nlive);
			base = dt->live_base[i];
			n = dt->live_len[i];
			if (n > 1 && !splitmix64_below(&dt->rng, 3)) {
				u64 cut = 1 + splitmix64_below(&dt->rng, n - 1);

				if (splitmix64_below(&dt->rng, 2)) {
					n = cut;
				} else {
					base += cut;
					n -= cut;
				}
			}
		} else {
			difftest_range(dt, &base, &n);
		}
		e1 = pagealloc_free(&dt->pa, base, n);
		e2 = model_free(&dt->m, base, n);
		if (!e1 && !e2)
			difftest_carve(dt, base, n);
		break;
	case DT_TAKE:
		difftest_range(dt, &base, &n);
		e1 = pagealloc_take(&dt->pa, base, n);
		e2 = model_take(&dt->m, base, n);
		if (!e1 && !e2 && dt->nlive < DIFFTEST_LIVE) {
			dt->live_base[dt->nlive] = base;
			dt->live_len[dt->nlive++] = n;
		}
		break;
	case DT_DIRTY:
		difftest_range(dt, &base, &n);
		e1 = pagealloc_dirty(&dt->pa, base, n);
		e2 = model_dirty(&dt->m, base, n);
		break;
	case DT_SCAVENGE:
		n = splitmix64_below(&dt->rng, 4) ? difftest_size(dt) : U64_MAX;
		if (splitmix64_below(&dt->rng, 2)) {
			e1 = pagealloc_scavenge(&dt->pa, n, &s1);
			e2 = model_scavenge(&dt->m, n, &s2);
			break;
		}
		/* Lowest first in two steps, sometimes over another range. */
		s1 = pagealloc_scavenge_find(&dt->pa, n, &b1);
		s2 = model_scavenge_find(&dt->m, n, &b2);
		if (s1 != s2 || (s1 && b1 != b2)) {
			e1 = 0;
			e2 = 0;
			break;
		}
		base = b1;
		n = s1;
		if (!n || !splitmix64_below(&dt->rng, 4))
			difftest_range(dt, &base, &n);
		e1 = pagealloc_scavenge_range(&dt->pa, base, n, &s1);
		e2 = model_scavenge_range(&dt->m, base, n, &s2);
		b1 = 0;
		b2 = 0;
		break;
	default:
		/* Calls that must be rejected whatever the state. */
		switch (splitmix64_below(&dt->rng, 8)) {
		case 0:
			base = splitmix64_below(&dt->rng, dt->capacity);
			e1 = pagealloc_free(&dt->pa, base, 0);
			e2 = model_free(&dt->m, base, 0);
			break;
		case 1:
			base = U64_MAX - splitmix64_below(&dt->rng, 4);
			n = 2 + splitmix64_below(&dt->rng, 8);
			e1 = pagealloc_free(&dt->pa, base, n);
			e2 = model_free(&dt->m, base, n);
			break;
		case 2:
			base = dt->capacity - splitmix64_below(&dt->rng, 4);
			n = 5 + splitmix64_below(&dt->rng, 100);
			e1 = pagealloc_take(&dt->pa, base, n);
			e2 = model_take(&dt->m, base, n);
			break;
		case 3:
			e1 = pagealloc_alloc(&dt->pa, 0, &b1, &s1);
			e2 = model_alloc(&dt->m, 0, &b2, &s2);
			break;
		case 4:
			e1 = pagealloc_scavenge(&dt->pa, 0, &s1);
			e2 = model_scavenge(&dt->m, 0, &s2);
			break;
		case 5:
			/* No pages, or an alignment that is not one. */
			n = splitmix64_below(&dt->rng, 3);
			align = n ? 3 + 2 * splitmix64_below(&dt->rng, 100) :
				difftest_align(dt);
			if (!splitmix64_below(&dt->rng, 4))
				align = PAGEALLOC_MAX_PAGES << 1;
			e1 = pagealloc_alloc_aligned(&dt->pa, n, align, &b1,
						     &s1, NULL);
			e2 = model_alloc_aligned(&dt->m, n, align, &b2, &s2,
						 NULL);
			break;
		case 6:
			/* Aligned beyond what any free run could hold. */
			n = dt->capacity + 1;
			e1 = pagealloc_alloc_aligned(&dt->pa, n, 2, &b1, &s1,
						     NULL);
			e2 = model_alloc_aligned(&dt->m, n, 2, &b2, &s2, NULL);
			break;
		default:
			base = U64_MAX - PAGEALLOC_CHUNK_PAGES + 1;
			n = PAGEALLOC_CHUNK_PAGES;
			e1 = pagealloc_grow(&dt->pa, base, n);
			e2 = model_grow(&dt->m, base, n);
			break;
		}
		break;
	}

	if (e1)
		dt->rejected++;
	if (e1 != e2 || b1 != b2 || s1 != s2) {
		scnprintf(dt->msg, sizeof(dt->msg),
			  "call kind %d base %llu n %llu align %llu origin %llu: allocator %d (%llu %llu), model %d (%llu %llu)",
			  kind, base, n, align, dt->m.origin, e1, b1, s1, e2,
			  b2, s2);
		return -1;
	}
	if (aligned && !e1 && difftest_compare_dirty(dt, n))
		return -1;
	if (pagealloc_check(&dt->pa, dt->msg, sizeof(dt->msg)))
		return -1;
	return difftest_compare_pages(dt);
}

/**
 * pagealloc_difftest_run() - run the allocator against the model
 * @dt: seed, capacity and number of calls set; the rest is filled in
 *
 * Return: 0 if both agreed on every call, -1 with @dt->msg describing the
 * first disagreement, or -ENOMEM.
 */
static inline int pagealloc_difftest_run(struct pagealloc_difftest *dt)
{
	u64 k;
	int err;

	dt->rng = dt->seed;
	dt->nlive = 0;
	dt->rejected = 0;
	memset(dt->calls, 0, sizeof(dt->calls));
	err = pagealloc_init(&dt->pa, dt->capacity);
	if (!err)
		err = model_init(&dt->m, dt->capacity);
	dt->dirty[0] = kvcalloc(dt->capacity / 64 + 1, sizeof(u64), GFP_KERNEL);
	dt->dirty[1] = kvcalloc(dt->capacity / 64 + 1, sizeof(u64), GFP_KERNEL);
	if (!err && (!dt->dirty[0] || !dt->dirty[1]))
		err = -ENOMEM;
	/* An origin for the run; the allocator must start at 0. */
	if (!err && dt->pa.origin)
		err = -EINVAL;
	if (!err) {
		dt->m.origin = difftest_origin(dt);
		pagealloc_set_origin(&dt->pa, dt->m.origin);
	}
	for (k = 0; !err && k < dt->ops; k++)
		err = difftest_step(dt);
	if (err > 0)
		err = -1;
	pagealloc_destroy(&dt->pa);
	model_destroy(&dt->m);
	kvfree(dt->dirty[0]);
	kvfree(dt->dirty[1]);
	dt->dirty[0] = NULL;
	dt->dirty[1] = NULL;
	return err;
}

#endif /* _PAGEALLOC_MODEL_H */
