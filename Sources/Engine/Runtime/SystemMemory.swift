import Foundation

/// What this process may still allocate, read from the system at the moment of asking: the
/// kernel's estimate of available memory (`MemAvailable`), lowered by a cgroup v2 memory limit
/// (a container's) and by an address-space rlimit (`ulimit -v`) when either is set.
public enum SystemMemory {
    /// Bytes available to allocate, or nil where the system does not say (not Linux).
    public static func availableBytes() -> Int? {
        #if os(Linux)
        var candidates: [Int] = []
        if let meminfo = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
           let kib = field("MemAvailable:", in: meminfo) {
            candidates.append(kib * 1024)
        }
        if let max = number(atPath: "/sys/fs/cgroup/memory.max"), let current = number(atPath: "/sys/fs/cgroup/memory.current") {
            candidates.append(Swift.max(0, max - current))
        }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max,
           let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let usedKiB = field("VmSize:", in: status) {
            candidates.append(Swift.max(0, Int(clamping: limit.rlim_cur) - usedKiB * 1024))
        }
        return candidates.min()
        #else
        return nil
        #endif
    }

    /// The number after `name` on its line (`/proc` files: "MemAvailable:   123 kB").
    static func field(_ name: String, in text: String) -> Int? {
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            return line.dropFirst(name.count).split(separator: " ").first.flatMap { Int($0) }
        }
        return nil
    }

    /// A file holding one integer ("max" or a missing file: nil).
    static func number(atPath path: String) -> Int? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
