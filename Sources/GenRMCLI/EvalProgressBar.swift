import Eval
import Foundation

/// The run's progress on stderr: done/total, judgments per second, ETA, running accuracy and
/// failures. On a terminal one line is redrawn in place; otherwise a line is printed at most
/// every 30 seconds (and the last one), so logs stay short.
final class EvalProgressBar: @unchecked Sendable {
    // @unchecked: `lastPrinted` is only touched under `lock` (updates come from the run's writer).
    private let enabled: Bool
    private let interactive: Bool
    private let lock = NSLock()
    private var lastPrinted = -Double.infinity
    private static let logInterval = 30.0

    init(enabled: Bool) {
        self.enabled = enabled
        interactive = isatty(FileHandle.standardError.fileDescriptor) == 1
    }

    func update(_ progress: RunProgress) {
        guard enabled else { return }
        lock.lock()
        let due = interactive || progress.done == progress.total || progress.seconds - lastPrinted >= Self.logInterval
        if due { lastPrinted = progress.seconds }
        lock.unlock()
        guard due else { return }
        let line = Self.line(progress)
        FileHandle.standardError.write(Data((interactive ? "\r\u{1B}[K" + line : line + "\n").utf8))
    }

    func finish() {
        guard enabled, interactive else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }

    static func line(_ progress: RunProgress) -> String {
        let width = 24
        let filled = progress.total > 0 ? width * progress.done / progress.total : width
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        var parts = ["[\(bar)] \(progress.done)/\(progress.total)"]
        parts.append(progress.rate.map { String(format: "%.2f judgments/s", $0) } ?? "- judgments/s")
        parts.append("ETA " + (progress.eta.map(duration) ?? "-"))
        parts.append("accuracy " + (progress.accuracy.map { String(format: "%.1f%%", $0 * 100) } ?? "-"))
        parts.append("parse failures \(progress.failures)")
        if progress.errors > 0 { parts.append("errors \(progress.errors)") }
        return parts.joined(separator: "  ")
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let hours = total / 3600, minutes = total % 3600 / 60, rest = total % 60
        return hours > 0 ? String(format: "%dh%02dm", hours, minutes) : String(format: "%dm%02ds", minutes, rest)
    }
}
