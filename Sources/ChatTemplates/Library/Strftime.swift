import Foundation

/// `strftime_now`: Python's `datetime.now().strftime(format)`, which hands the format to the C
/// library's `strftime` in the C locale after expanding `%f` and blanking `%z`/`%Z` (the
/// datetime is naive).
enum Strftime {
    static func format(_ format: String, date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        var whole = time_t(seconds.rounded(.down))
        let microseconds = Int(((seconds - seconds.rounded(.down)) * 1_000_000).rounded(.down))
        var parts = tm()
        localtime_r(&whole, &parts)
        var expanded = ""
        var iterator = format.makeIterator()
        while let character = iterator.next() {
            guard character == "%" else {
                expanded.append(character)
                continue
            }
            guard let directive = iterator.next() else {
                expanded.append("%")
                break
            }
            switch directive {
            case "f":
                let digits = String(microseconds)
                expanded += String(repeating: "0", count: max(0, 6 - digits.count)) + digits
            case "z", "Z":
                break
            default:
                expanded.append("%")
                expanded.append(directive)
            }
        }
        var buffer = [CChar](repeating: 0, count: 512 + expanded.utf8.count * 16)
        let written = strftime(&buffer, buffer.count, expanded, &parts)
        guard written > 0 || expanded.isEmpty else { return "" }
        return String(decoding: buffer.prefix(written).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
