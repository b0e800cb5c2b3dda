#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Bytes made at load (weights quantized by `LoadQuantizer`) kept in an unlinked temporary file
/// mapped shared, so that once the matvec kernels have their interleaved copy the row layout can
/// be let go from memory as a GGUF's mapped weights are (`releaseResidentPages`): it stays
/// readable, paged back from the file for the few reads that still use it (rows past the last
/// group of 8, embedding lookups, the portable kernels). Without it a quantized matrix would be
/// resident twice. The file lives in `$TMPDIR` (default /tmp) and disappears with the process.
///
/// `@unchecked Sendable`: written only while the loader fills it, before any matrix reads it.
final class SpilledBytes: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let count: Int

    /// A zeroed mapping of `byteCount` bytes, or nil when no temporary file can be made (the
    /// caller then keeps the bytes on the heap).
    init?(byteCount: Int) {
        let directory = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(directory)/genrm-quantized-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        _ = template.withUnsafeBufferPointer { unlink($0.baseAddress!) }
        let size = max(byteCount, 1)
        guard ftruncate(fd, off_t(size)) == 0 else { return nil }
        let mapped = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
        guard let mapped, mapped != MAP_FAILED else { return nil }
        base = mapped
        count = size
    }

    /// Drops the resident pages (the data stays in the file and is read back when touched).
    func releaseResidentPages() {
        _ = madvise(base, count, Int32(MADV_DONTNEED))
    }

    deinit { munmap(base, count) }
}
