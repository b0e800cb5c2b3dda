/// Substring search over UTF-8 bytes. Markers are searched byte-wise rather than by `Character`
/// so that a marker followed by a combining mark (which Swift would fuse into one grapheme) is
/// still found, and so that every cut falls exactly where the marker's bytes begin or end.
public enum ByteSearch {
    public static func firstRange(of needle: String, in bytes: [UInt8], from start: Int = 0, to end: Int? = nil) -> Range<Int>? {
        let pattern = Array(needle.utf8)
        let limit = min(end ?? bytes.count, bytes.count)
        guard !pattern.isEmpty, start >= 0, limit - start >= pattern.count else { return nil }
        var index = start
        while index <= limit - pattern.count {
            if matches(pattern, in: bytes, at: index) { return index..<(index + pattern.count) }
            index += 1
        }
        return nil
    }

    public static func lastRange(of needle: String, in bytes: [UInt8], before end: Int? = nil) -> Range<Int>? {
        let pattern = Array(needle.utf8)
        let limit = min(end ?? bytes.count, bytes.count)
        guard !pattern.isEmpty, limit >= pattern.count else { return nil }
        var index = limit - pattern.count
        while index >= 0 {
            if matches(pattern, in: bytes, at: index) { return index..<(index + pattern.count) }
            index -= 1
        }
        return nil
    }

    private static func matches(_ pattern: [UInt8], in bytes: [UInt8], at index: Int) -> Bool {
        for offset in 0..<pattern.count where bytes[index + offset] != pattern[offset] {
            return false
        }
        return true
    }
}
