#if os(Linux)
import Foundation
import Glibc

/// Where the weights' interleaved copies live: regions of 2 MiB-aligned anonymous memory that
/// Linux backs with huge pages (streaming a matvec's weights then needs far fewer TLB walks:
/// about 30% more read bandwidth measured, 14% of Q4_K_M decode), the copies packed back to back
/// in them. Packing keeps every copy in huge pages, its last partial 2 MiB included, without
/// rounding each up to 2 MiB: a copy of its own in small pages at its tail read 22% of a 7.7 MB
/// Q4_K matrix through small pages, and one rounded up had the kernel fault in a whole huge page
/// past its end (40 MiB of 230 on a 4-layer checkpoint quantized at load).
///
/// A region is reserved in virtual memory only (pages are resident once written), so the unused
/// end of one costs nothing. Freed blocks give their whole pages back at once (`MADV_DONTNEED`);
/// a region is unmapped when its last block is freed.
final class HugePageArena: @unchecked Sendable {
    static let shared = HugePageArena()

    static let hugePage = 1 << 21
    /// Virtual size of a region, or more for a larger block.
    static let regionBytes = 1 << 30
    /// Blocks start on cache lines (the kernels' groups are whole cache lines).
    static let alignment = 64

    private final class Region {
        let base: UnsafeMutableRawPointer
        let size: Int
        var used = 0
        var live = 0

        init?(size: Int) {
            let hugePage = HugePageArena.hugePage
            // Map a huge page more than needed, then unmap the unaligned head and the tail.
            guard let raw = mmap(nil, size + hugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
                raw != MAP_FAILED
            else { return nil }
            let start = Int(bitPattern: raw), aligned = (start + hugePage - 1) / hugePage * hugePage
            if aligned > start { munmap(raw, aligned - start) }
            let end = aligned + size, mappedEnd = start + size + hugePage
            if mappedEnd > end { munmap(UnsafeMutableRawPointer(bitPattern: end), mappedEnd - end) }
            base = UnsafeMutableRawPointer(bitPattern: aligned)!
            self.size = size
            _ = madvise(base, size, MADV_HUGEPAGE)
        }

        deinit { munmap(base, size) }

        func contains(_ pointer: UnsafeMutableRawPointer) -> Bool { pointer >= base && pointer < base + size }
    }

    private let lock = NSLock()
    private var regions: [Region] = []

    /// `byteCount` bytes of zeroed memory inside a huge-page region; nil when none can be mapped.
    func allocate(byteCount: Int) -> UnsafeMutableRawPointer? {
        let size = (max(byteCount, 1) + Self.alignment - 1) / Self.alignment * Self.alignment
        lock.lock()
        defer { lock.unlock() }
        let region: Region
        if let last = regions.last, last.size - last.used >= size {
            region = last
        } else {
            let regionSize = max(Self.regionBytes, (size + Self.hugePage - 1) / Self.hugePage * Self.hugePage)
            guard let made = Region(size: regionSize) else { return nil }
            regions.append(made)
            region = made
        }
        let block = region.base + region.used
        region.used += size
        region.live += 1
        return block
    }

    /// Gives back a block `allocate` returned: its whole pages at once, its region with its last block.
    func deallocate(_ block: UnsafeMutableRawPointer, byteCount: Int) {
        lock.lock()
        defer { lock.unlock() }
        guard let index = regions.firstIndex(where: { $0.contains(block) }) else { return }
        let region = regions[index]
        region.live -= 1
        if region.live == 0 {
            regions.remove(at: index)  // unmapped as it goes
            return
        }
        let page = 4096
        let first = (Int(bitPattern: block) + page - 1) / page * page
        let last = (Int(bitPattern: block) + byteCount) / page * page
        if last > first { _ = madvise(UnsafeMutableRawPointer(bitPattern: first), last - first, MADV_DONTNEED) }
    }
}
#endif
