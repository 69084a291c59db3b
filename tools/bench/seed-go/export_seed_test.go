// Benchmark hooks for pagepool's seed runner (tools/bench/seed-go/run-seed).
//
// This file is not part of Go. run-seed overlays it into the runtime
// package of Go 1.21 (as src/runtime/export_pagepool_seed_test.go), next
// to the runtime's own export_test.go, so that it is compiled only into
// the runtime's test binary. It adds no allocator logic: every command
// calls the pageAlloc method the runtime itself uses for it.
//
//   - alloc:    (*pageAlloc).alloc, as mheap.allocSpan does.
//   - free:     (*pageAlloc).free(base, n), as mheap.freeSpanLocked does;
//     it also tells the scavenge index (per-chunk occupancy, the forced
//     search address).
//   - scavenge: (*pageAlloc).scavenge(nbytes, nil, true), as the
//     PageAlloc.Scavenge hook and debug.FreeOSMemory do: forced, so every
//     chunk with free pages is a candidate whatever its density.
//   - grow:     (*pageAlloc).grow(base, size), as mheap.grow.
//   - take:     (*pageAlloc).allocRange, the bitmap+summary half of alloc;
//     it updates the scavenge index's occupancy as alloc does.
//   - dirty:    clear the scavenged bits, and tell the scavenge index about
//     each chunk with its free method for zero pages: that marks the chunk
//     as having pages to scavenge and raises the search address to the
//     range's end, as a free of those pages would, but leaves the chunk's
//     occupancy alone (the pages were free all along).
//
// SeedRun runs a whole segment of commands on the system stack with the
// heap lock held once (released around scavenge, which takes it itself),
// so the time is the allocator's and not the test hooks' systemstack
// switch and lock/unlock per call. SeedRunPerOp wraps every command the
// way export_test.go's hooks do, for comparison.

package runtime

const (
	SeedAlloc = iota
	SeedFree
	SeedScavenge
	SeedGrow
	SeedTake
	SeedDirty
)

// SeedOp is one pre-parsed command. Addresses are runtime addresses.
//
//	alloc:    A = npages
//	scavenge: A = nbytes
//	others:   A = base address, B = npages
type SeedOp struct {
	Kind uint8
	A, B uintptr
}

// SeedResult is the outcome of an alloc (Addr 0 on failure, Scav in
// bytes) or a scavenge (Scav = bytes released).
type SeedResult struct {
	Addr, Scav uintptr
}

// SeedPageSize is the runtime page size (8 KiB): one trace page.
const SeedPageSize = pageSize

// NewSeedPageAlloc returns an initialised pageAlloc with no memory.
func NewSeedPageAlloc() *PageAlloc {
	return NewPageAlloc(nil, nil)
}

// seedOne runs one command. p.mheapLock must be held.
//
//go:systemstack
func (p *pageAlloc) seedOne(op *SeedOp, r *SeedResult) {
	switch op.Kind {
	case SeedAlloc:
		r.Addr, r.Scav = p.alloc(op.A)
	case SeedFree:
		p.free(op.A, op.B)
	case SeedScavenge:
		unlock(p.mheapLock)
		r.Scav = p.scavenge(op.A, nil, true)
		lock(p.mheapLock)
	case SeedGrow:
		p.grow(op.A, op.B*pageSize)
	case SeedTake:
		// Only removes free pages, so p.searchAddr stays a valid bound.
		p.allocRange(op.A, op.B)
	case SeedDirty:
		p.seedDirty(op.A, op.B)
	}
}

// seedDirty marks [base, base+npages*pageSize) not scavenged.
func (p *pageAlloc) seedDirty(base, npages uintptr) {
	limit := base + npages*pageSize - 1
	sc, ec := chunkIndex(base), chunkIndex(limit)
	for c := sc; c <= ec; c++ {
		lo, hi := uint(0), uint(pallocChunkPages)
		if c == sc {
			lo = chunkPageIndex(base)
		}
		if c == ec {
			hi = chunkPageIndex(limit) + 1
		}
		p.chunkOf(c).scavenged.clearRange(lo, hi-lo)
		// free(ci, page, npages) takes page+npages-1 as the last page
		// freed: with no pages, hi-1.
		p.scav.index.free(c, hi, 0)
	}
}

// SeedRun runs ops on pp and returns the elapsed nanoseconds (nanotime,
// the runtime's monotonic clock). res must be as long as ops.
func SeedRun(pp *PageAlloc, ops []SeedOp, res []SeedResult) (ns int64) {
	p := (*pageAlloc)(pp)
	systemstack(func() {
		t0 := nanotime()
		lock(p.mheapLock)
		for i := range ops {
			p.seedOne(&ops[i], &res[i])
		}
		unlock(p.mheapLock)
		ns = nanotime() - t0
	})
	return
}

// SeedRunPerOp is SeedRun with a systemstack switch and a lock/unlock
// around every command, like the PageAlloc.Alloc/Free hooks.
func SeedRunPerOp(pp *PageAlloc, ops []SeedOp, res []SeedResult) int64 {
	p := (*pageAlloc)(pp)
	t0 := nanotime()
	for i := range ops {
		op, r := &ops[i], &res[i]
		if op.Kind == SeedScavenge {
			systemstack(func() {
				r.Scav = p.scavenge(op.A, nil, true)
			})
			continue
		}
		systemstack(func() {
			lock(p.mheapLock)
			p.seedOne(op, r)
			unlock(p.mheapLock)
		})
	}
	return nanotime() - t0
}

// SeedPhysHugePageSize returns the huge page size (bytes) to which the
// scavenger rounds its candidates; Go reads it from
// /sys/kernel/mm/transparent_hugepage/hpage_pmd_size at startup.
func SeedPhysHugePageSize() uintptr { return physHugePageSize }

// SeedSetPhysHugePageSize overrides it: 0 or a power of two no larger
// than a chunk (4 MiB). 0 disables the rounding.
func SeedSetPhysHugePageSize(n uintptr) bool {
	if n&(n-1) != 0 || n > maxPhysHugePageSize {
		return false
	}
	physHugePageSize, physHugePageShift = n, 0
	for ; n > 1; n >>= 1 {
		physHugePageShift++
	}
	return true
}
