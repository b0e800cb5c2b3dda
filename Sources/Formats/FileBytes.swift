#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file could not be mapped: its path and the system's reason. Each format's reader turns
/// it into its own error (`GGUFError.cannotOpen`, `SafetensorsError.cannotOpen`).
struct FileOpenError: Error {
    let path: String
    let reason: String
}

/// Read-only bytes of a whole file: a private read-only memory mapping (weights are paged in on
/// demand and never copied), or an owned copy of in-memory bytes for tests.
///
/// `@unchecked Sendable`: the memory is never written after `init` and is released only in
/// `deinit`, so sharing the pointer across threads is safe while the object is alive.
final class FileBytes: @unchecked Sendable {
    let base: UnsafeRawPointer?
    let count: Int
    private let isMapped: Bool

    var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Maps `path` read-only. Only a regular file is taken: it is opened without blocking, so a
    /// FIFO (whose open would wait for a writer forever) or a device is refused by its kind.
    init(mapping path: String) throws(FileOpenError) {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw FileOpenError(path: path, reason: Self.errnoText()) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileOpenError(path: path, reason: Self.errnoText()) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw FileOpenError(path: path, reason: "not a regular file (\(Self.kind(info.st_mode)))")
        }
        let size = Int(info.st_size)
        count = size
        isMapped = size > 0
        guard size > 0 else {
            base = nil
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED else {
            throw FileOpenError(path: path, reason: "mmap failed: \(Self.errnoText())")
        }
        base = UnsafeRawPointer(address)
    }

    /// Copies `bytes` into memory aligned for any SIMD load.
    init(copying bytes: [UInt8]) {
        count = bytes.count
        isMapped = false
        let storage = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 64)
        bytes.withUnsafeBytes { source in
            if let from = source.baseAddress { storage.copyMemory(from: from, byteCount: source.count) }
        }
        base = UnsafeRawPointer(storage)
    }

    deinit {
        guard let base else { return }
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: base), count)
        } else {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }

    /// Tells the kernel the mapped pages inside `range` may be dropped from memory (they are read
    /// again from the file if touched later): for bytes copied elsewhere, such as weights
    /// repacked at load. Only whole pages inside the range; a no-op for in-memory bytes.
    func releaseResidentPages(_ range: Range<Int>) {
        guard isMapped, let base, range.lowerBound >= 0, range.upperBound <= count else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard page > 0 else { return }
        let address = Int(bitPattern: base)
        let first = (address + range.lowerBound + page - 1) / page * page
        let end = (address + range.upperBound) / page * page
        guard end > first, let start = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(start, end - first, Int32(MADV_DONTNEED))
    }

    /// `releaseResidentPages` for bytes `part` (clamped; all when nil) of the `byteCount` bytes
    /// at `offset`: a tensor's, or the rows of it already copied.
    func releaseResidentPages(ofBytesAt offset: Int, count byteCount: Int, within part: Range<Int>?) {
        let part = (part ?? 0..<byteCount).clamped(to: 0..<byteCount)
        releaseResidentPages((offset + part.lowerBound)..<(offset + part.upperBound))
    }

    private static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "not a file"
        }
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
