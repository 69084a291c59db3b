// Seed runner: replays a pagepool benchmark trace on the Go runtime's own
// page allocator (pageAlloc) and prints per-phase timings.
//
// This file is not part of Go. run-seed overlays it into Go 1.21's
// src/runtime (as pagepool_seed_test.go) together with export_seed_test.go
// and builds the runtime's test binary; see README.md.
//
// Environment:
//
//	PAGEPOOL_SEED_TRACE    trace file (the test is skipped without it)
//	PAGEPOOL_SEED_REPS     runs, best time per phase is printed (default 3)
//	PAGEPOOL_SEED_PEROP    1: systemstack+lock around every command, as
//	                       the export_test.go hooks do (default: once per
//	                       contiguous phase segment)
//	PAGEPOOL_SEED_HUGEPAGE huge page size in trace pages to which the
//	                       scavenger rounds what it releases: 0 (off) or a
//	                       power of two up to 512 (default: the system's,
//	                       usually 2 MiB = 256 Go pages)
//	PAGEPOOL_SEED_RESULTS  file to write alloc/scavenge results to (first
//	                       run): "alloc N = P S", "alloc N = fail",
//	                       "scavenge N = K" (pages)
//
// Output on stdout, one line per phase in order of first appearance:
//
//	phase NAME ops=N ns=T ns_per_op=X
//
// pageAlloc has no aligned allocation: a phase with an "alloc N A" (A > 1)
// is not run and gets no line (a warning goes to stderr). Such a phase
// must leave the allocator as it found it (each alloc freed again), so
// that the phases after it run on the same state.

package runtime_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"testing"
)

const seedChunkPages = 512 // runtime.PallocChunkPages

// seedSegment is a contiguous run of commands in one phase.
type seedSegment struct {
	phase int
	ops   []runtime.SeedOp
}

type seedTrace struct {
	phases   []string
	skipped  map[int]bool // phases with aligned allocs: not run
	segments []seedSegment
	nops     int
	nscav    int
	ngrow    int
}

func seedWarn(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "run-seed: "+format+"\n", args...)
}

// seedAddr maps trace page P to PageBase(BaseChunkIdx + P/512, P%512).
func seedAddr(p uint64) uintptr {
	return runtime.PageBase(runtime.BaseChunkIdx+runtime.ChunkIdx(p/seedChunkPages), uint(p%seedChunkPages))
}

func seedPage(addr uintptr) uint64 {
	return uint64((addr - runtime.PageBase(runtime.BaseChunkIdx, 0)) / runtime.SeedPageSize)
}

// The highest chunk the runtime can address: pages must stay below 2^47
// on linux/amd64 (heapAddrBits = 48, but user addresses stop at 2^47).
func seedMaxPages() uint64 {
	const top = uint64(1) << 47
	base := uint64(runtime.PageBase(runtime.BaseChunkIdx, 0))
	return (top - base) / runtime.SeedPageSize / seedChunkPages * seedChunkPages
}

// seedGrown tracks grown chunks while parsing, so that commands on memory
// the allocator does not know are refused instead of crashing the runtime.
type seedGrown []uint64

func (g *seedGrown) set(c uint64) {
	for uint64(len(*g)) <= c/64 {
		*g = append(*g, 0)
	}
	(*g)[c/64] |= 1 << (c % 64)
}

func (g seedGrown) has(c uint64) bool {
	return c/64 < uint64(len(g)) && g[c/64]&(1<<(c%64)) != 0
}

func (g seedGrown) hasRange(p, n uint64) bool {
	for c := p / seedChunkPages; c <= (p+n-1)/seedChunkPages; c++ {
		if !g.has(c) {
			return false
		}
	}
	return true
}

func seedFields(line []byte, f [][]byte) int {
	n := 0
	i := 0
	for i < len(line) {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r') {
			i++
		}
		if i == len(line) {
			break
		}
		j := i
		for j < len(line) && line[j] != ' ' && line[j] != '\t' && line[j] != '\r' {
			j++
		}
		if n < len(f) {
			f[n] = line[i:j]
		}
		n++
		i = j
	}
	return n
}

// seedNum parses a decimal number up to 2^64 - 1 (the Go tables' ^uintptr(0)).
func seedNum(b []byte) (uint64, bool) {
	v, err := strconv.ParseUint(string(b), 10, 64)
	return v, err == nil
}

func parseSeedTrace(r io.Reader) (*seedTrace, error) {
	tr := &seedTrace{skipped: map[int]bool{}}
	phaseIdx := map[string]int{}
	cur := -1 // phase of the commands being read; -1 until the first one
	var grown seedGrown
	maxPages := seedMaxPages()
	ignored := map[string]int{}
	unsupported := 0

	seg := func() *seedSegment {
		if cur < 0 {
			cur = len(tr.phases)
			phaseIdx["all"] = cur
			tr.phases = append(tr.phases, "all")
		}
		if n := len(tr.segments); n == 0 || tr.segments[n-1].phase != cur {
			tr.segments = append(tr.segments, seedSegment{phase: cur})
		}
		return &tr.segments[len(tr.segments)-1]
	}
	bad := func(ln int, line []byte, why string) {
		unsupported++
		if unsupported <= 20 {
			seedWarn("line %d: %q: unsupported: %s (skipped)", ln, bytes.TrimSpace(line), why)
		}
	}

	add := func(ln int, line []byte, cmd string, f [][]byte, n int) error {
		var args [2]uint64
		want := 0
		var kind uint8
		switch cmd {
		case "grow":
			want, kind = 2, runtime.SeedGrow
		case "take":
			want, kind = 2, runtime.SeedTake
		case "dirty":
			want, kind = 2, runtime.SeedDirty
		case "free":
			want, kind = 2, runtime.SeedFree
		case "state":
			want = 2
		case "alloc":
			// "alloc N A": A is an alignment.
			want, kind = 1, runtime.SeedAlloc
			if n == 3 {
				want = 2
			}
		case "scavenge":
			want, kind = 1, runtime.SeedScavenge
		case "chunksum":
			want = 1
		}
		if want == 0 {
			bad(ln, line, "unknown command")
			return nil
		}
		if n != want+1 {
			return fmt.Errorf("line %d: %s takes %d numbers", ln, cmd, want)
		}
		for k := 0; k < want; k++ {
			v, ok := seedNum(f[k+1])
			if !ok {
				return fmt.Errorf("line %d: bad number %q", ln, f[k+1])
			}
			args[k] = v
		}
		switch cmd {
		case "state", "chunksum":
			ignored[cmd]++
			seg() // the phase still exists
		case "alloc":
			if args[1] > 1 {
				s := seg()
				tr.skipped[s.phase] = true
				break
			}
			if args[0] == 0 || args[0] > maxPages {
				bad(ln, line, "page count out of range")
				break
			}
			s := seg()
			s.ops = append(s.ops, runtime.SeedOp{Kind: runtime.SeedAlloc, A: uintptr(args[0])})
		case "scavenge":
			nb := uintptr(args[0]) * runtime.SeedPageSize
			if args[0] > maxPages {
				nb = ^uintptr(0)
			}
			s := seg()
			s.ops = append(s.ops, runtime.SeedOp{Kind: runtime.SeedScavenge, A: nb})
		default: // grow take dirty free: P N
			p, np := args[0], args[1]
			if np == 0 || p >= maxPages || np > maxPages-p {
				bad(ln, line, "range out of range")
				break
			}
			if kind == runtime.SeedGrow {
				if p%seedChunkPages != 0 || np%seedChunkPages != 0 {
					bad(ln, line, "grow not in whole chunks")
					break
				}
				for c := p / seedChunkPages; c < (p+np)/seedChunkPages; c++ {
					if grown.has(c) {
						bad(ln, line, "grows a chunk twice")
						return nil
					}
				}
				for c := p / seedChunkPages; c < (p+np)/seedChunkPages; c++ {
					grown.set(c)
				}
			} else if !grown.hasRange(p, np) {
				bad(ln, line, "pages not grown")
				break
			}
			s := seg()
			s.ops = append(s.ops, runtime.SeedOp{Kind: kind, A: seedAddr(p), B: uintptr(np)})
		}
		return nil
	}

	br := bufio.NewReaderSize(r, 1<<20)
	var f [4][]byte
	for ln := 1; ; ln++ {
		line, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			return nil, fmt.Errorf("line %d: too long", ln)
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		if len(line) == 0 && err == io.EOF {
			break
		}
		text := line
		if i := bytes.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		text = bytes.TrimRight(text, "\n")
		n := seedFields(text, f[:])
		if n == 0 {
			if err == io.EOF {
				break
			}
			continue
		}
		cmd := string(f[0])
		if cmd == "phase" {
			if n != 2 {
				return nil, fmt.Errorf("line %d: phase takes one name", ln)
			}
			name := string(f[1])
			i, ok := phaseIdx[name]
			if !ok {
				i = len(tr.phases)
				phaseIdx[name] = i
				tr.phases = append(tr.phases, name)
			}
			cur = i
			if err == io.EOF {
				break
			}
			continue
		}
		if e := add(ln, line, cmd, f[:], n); e != nil {
			return nil, e
		}
		if err == io.EOF {
			break
		}
	}
	if unsupported > 20 {
		seedWarn("%d unsupported commands in all (first 20 shown)", unsupported)
	}
	for i := range tr.segments {
		if tr.skipped[tr.segments[i].phase] {
			tr.segments[i].ops = nil
		}
	}
	for i, name := range tr.phases {
		if tr.skipped[i] {
			seedWarn("phase %s: aligned allocations, which pageAlloc lacks: not run", name)
		}
	}
	for _, c := range []string{"state", "chunksum"} {
		if ignored[c] > 0 {
			seedWarn("ignored %d %s commands (inspection; not timed, not counted)", ignored[c], c)
		}
	}
	for _, s := range tr.segments {
		tr.nops += len(s.ops)
		for _, op := range s.ops {
			switch op.Kind {
			case runtime.SeedScavenge:
				tr.nscav++
			case runtime.SeedGrow:
				tr.ngrow++
			}
		}
	}
	return tr, nil
}

func writeSeedResults(path string, tr *seedTrace, res [][]runtime.SeedResult) error {
	fp, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(fp, 1<<20)
	for si, s := range tr.segments {
		for i, op := range s.ops {
			r := res[si][i]
			switch op.Kind {
			case runtime.SeedAlloc:
				if r.Addr == 0 {
					fmt.Fprintf(w, "alloc %d = fail\n", op.A)
				} else {
					fmt.Fprintf(w, "alloc %d = %d %d\n", op.A, seedPage(r.Addr), r.Scav/runtime.SeedPageSize)
				}
			case runtime.SeedScavenge:
				fmt.Fprintf(w, "scavenge %d = %d\n", op.A/runtime.SeedPageSize, r.Scav/runtime.SeedPageSize)
			}
		}
	}
	if err := w.Flush(); err != nil {
		fp.Close()
		return err
	}
	return fp.Close()
}

func TestPagepoolSeed(t *testing.T) {
	path := os.Getenv("PAGEPOOL_SEED_TRACE")
	if path == "" {
		t.Skip("PAGEPOOL_SEED_TRACE not set")
	}
	if runtime.PageAlloc64Bit == 0 || runtime.PallocChunkPages != seedChunkPages {
		t.Fatalf("unsupported platform: PageAlloc64Bit=%d PallocChunkPages=%d",
			runtime.PageAlloc64Bit, runtime.PallocChunkPages)
	}
	reps := 3
	if s := os.Getenv("PAGEPOOL_SEED_REPS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			t.Fatalf("bad PAGEPOOL_SEED_REPS %q", s)
		}
		reps = v
	}
	perOp := os.Getenv("PAGEPOOL_SEED_PEROP") == "1"
	run := runtime.SeedRun
	if perOp {
		run = runtime.SeedRunPerOp
	}

	if s := os.Getenv("PAGEPOOL_SEED_HUGEPAGE"); s != "" {
		v, err := strconv.ParseUint(s, 10, 32)
		if err != nil || !runtime.SeedSetPhysHugePageSize(uintptr(v)*runtime.SeedPageSize) {
			t.Fatalf("bad PAGEPOOL_SEED_HUGEPAGE %q", s)
		}
	}

	fp, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := parseSeedTrace(fp)
	fp.Close()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}

	if h := runtime.SeedPhysHugePageSize() / runtime.SeedPageSize; tr.nscav > 0 && h > 1 {
		seedWarn("note: Go's scavenger rounds up to whole free huge pages of %d pages (PAGEPOOL_SEED_HUGEPAGE=0: off)", h)
	}

	res := make([][]runtime.SeedResult, len(tr.segments))
	for i, s := range tr.segments {
		res[i] = make([]runtime.SeedResult, len(s.ops))
	}
	best := make([]int64, len(tr.phases))
	for i := range best {
		best[i] = -1
	}
	ops := make([]int, len(tr.phases))
	for _, s := range tr.segments {
		ops[s.phase] += len(s.ops)
	}

	cur := make([]int64, len(tr.phases))
	for rep := 0; rep < reps; rep++ {
		runtime.GC()
		old := debug.SetGCPercent(-1)
		p := runtime.NewSeedPageAlloc()
		for i := range cur {
			cur[i] = 0
		}
		for si, s := range tr.segments {
			if len(s.ops) > 0 {
				cur[s.phase] += run(p, s.ops, res[si])
			}
		}
		if tr.ngrow > 0 {
			// FreePageAlloc indexes the summaries, which exist only
			// after a grow; without one, leak the (address space only)
			// reservation.
			runtime.FreePageAlloc(p)
		}
		debug.SetGCPercent(old)
		for i, ns := range cur {
			if best[i] < 0 || ns < best[i] {
				best[i] = ns
			}
		}
		if rep == 0 {
			if rp := os.Getenv("PAGEPOOL_SEED_RESULTS"); rp != "" {
				if err := writeSeedResults(rp, tr, res); err != nil {
					t.Fatal(err)
				}
			}
		}
	}

	out := bufio.NewWriter(os.Stdout)
	for i, name := range tr.phases {
		if tr.skipped[i] {
			continue
		}
		per := 0.0
		if ops[i] > 0 {
			per = float64(best[i]) / float64(ops[i])
		}
		fmt.Fprintf(out, "phase %s ops=%d ns=%d ns_per_op=%.1f\n", name, ops[i], best[i], per)
	}
	out.Flush()
}
