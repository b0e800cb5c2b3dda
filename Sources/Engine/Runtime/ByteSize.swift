import Foundation

/// A byte count as people write it: `123`, `512KiB`, `256MiB`, `2GiB` (also `kB`, `MB`, `GB`,
/// `KB`, `K`, `M`, `G` as powers of 1000 or 1024 by the usual reading), and back.
public enum ByteSize {
    /// The bytes `text` names, or nil when it is not a count (negative, fractional, overflowing).
    public static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isNumber }
        guard !digits.isEmpty, let count = Int(digits) else { return nil }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        let scale: Int
        switch unit {
        case "", "B": scale = 1
        case "KiB", "K", "KB": scale = 1 << 10
        case "MiB", "M": scale = 1 << 20
        case "GiB", "G": scale = 1 << 30
        case "TiB", "T": scale = 1 << 40
        case "kB": scale = 1_000
        case "MB": scale = 1_000_000
        case "GB": scale = 1_000_000_000
        default: return nil
        }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: scale)
        return overflow ? nil : bytes
    }

    /// `bytes` in the largest binary unit that keeps it at 1 or more, one decimal ("47.3 MiB").
    public static func describe(_ bytes: Int) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) bytes" : "\(String(format: "%.1f", value)) \(units[unit])"
    }
}
