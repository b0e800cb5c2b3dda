import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one writer of a results file. It holds an exclusive lock on the file for the whole run
/// (a second run on the same file is refused), cuts a torn last line off before appending, and
/// writes each judgment as one line with a single `write` followed by `fsync`, so a kill at any
/// moment leaves complete lines and at most one torn line, which the next open removes.
public actor ResultsWriter {
    public nonisolated let path: String
    private var descriptor: Int32
    private let encoder: JSONEncoder

    /// Opens (or creates) `path`, locks it, reads what it holds, and truncates a torn last line.
    public static func open(path: String) throws(ResultsFileError) -> (writer: ResultsWriter, existing: ResultsFile) {
        let descriptor = Glue.open(path)
        guard descriptor >= 0 else { throw .writeFailed(path: path, reason: Glue.lastError()) }
        guard Glue.lockExclusively(descriptor) else {
            Glue.close(descriptor)
            throw .locked(path: path)
        }
        do throws(ResultsFileError) {
            let existing = try ResultsFile.read(path: path)
            if existing.tornBytes > 0, !Glue.truncate(descriptor, to: existing.completeLength) {
                throw ResultsFileError.writeFailed(path: path, reason: "cannot cut the torn last line: \(Glue.lastError())")
            }
            return (ResultsWriter(path: path, descriptor: descriptor), existing)
        } catch {
            Glue.close(descriptor)
            throw error
        }
    }

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    deinit {
        if descriptor >= 0 { Glue.close(descriptor) }
    }

    /// Releases the lock and the file now, so that a next run may open it as soon as this one has
    /// returned (waiting for the actor's last reference to go would leave the lock held for a
    /// moment the caller cannot see). Appending after this is refused.
    public func close() {
        guard descriptor >= 0 else { return }
        Glue.close(descriptor)
        descriptor = -1
    }

    /// Appends one judgment as one line and forces it to disk.
    public func append(_ record: ResultRecord) throws(ResultsFileError) {
        guard descriptor >= 0 else { throw .writeFailed(path: path, reason: "the run has closed this file") }
        let line: Data
        do {
            line = try encoder.encode(record) + Data("\n".utf8)
        } catch {
            throw .writeFailed(path: path, reason: "cannot encode the judgment of \(record.key): \(error)")
        }
        let failure: String? = line.withUnsafeBytes { buffer in
            var written = 0
            while written < buffer.count {
                let result = Glue.write(self.descriptor, buffer.baseAddress.map { $0 + written }, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return Glue.lastError()
                }
                written += result
            }
            return nil
        }
        if let failure { throw .writeFailed(path: path, reason: failure) }
        guard Glue.sync(descriptor) else { throw .writeFailed(path: path, reason: "fsync: \(Glue.lastError())") }
    }
}

/// The POSIX calls the writer needs, named once so the actor reads plainly.
private enum Glue {
    static func open(_ path: String) -> Int32 {
        #if canImport(Glibc)
        Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        #else
        Darwin.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        #endif
    }

    static func lockExclusively(_ descriptor: Int32) -> Bool { flock(descriptor, LOCK_EX | LOCK_NB) == 0 }

    static func truncate(_ descriptor: Int32, to length: Int) -> Bool { ftruncate(descriptor, off_t(length)) == 0 }

    static func write(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(descriptor, bytes, count)
        #else
        Darwin.write(descriptor, bytes, count)
        #endif
    }

    static func sync(_ descriptor: Int32) -> Bool { fsync(descriptor) == 0 }

    static func close(_ descriptor: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(descriptor)
        #else
        _ = Darwin.close(descriptor)
        #endif
    }

    static func lastError() -> String { String(cString: strerror(errno)) }
}
