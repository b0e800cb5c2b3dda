/// Python `str` operations, which count and index code points (Swift's `String` counts
/// grapheme clusters and compares canonically equivalent text as equal; Python does neither).
enum PyString {
    static func scalars(_ text: String) -> [Unicode.Scalar] { Array(text.unicodeScalars) }

    static func make(_ scalars: some Sequence<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    static func length(_ text: String) -> Int { text.unicodeScalars.count }

    /// Python's `str.isspace` for one character.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F,
            0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    // MARK: searching (UTF-8 byte search equals code point search: UTF-8 is self-synchronising)

    /// Byte offset of the first occurrence of `needle` at or after `start`.
    static func find(_ haystack: [UInt8], _ needle: [UInt8], from start: Int = 0) -> Int? {
        if needle.isEmpty { return start <= haystack.count ? start : nil }
        guard haystack.count >= needle.count else { return nil }
        let first = needle[0]
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var match = true
                for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                    match = false
                    break
                }
                if match { return index }
            }
            index += 1
        }
        return nil
    }

    static func contains(_ haystack: String, _ needle: String) -> Bool {
        find(Array(haystack.utf8), Array(needle.utf8)) != nil
    }

    static func count(_ haystack: String, _ needle: String) -> Int {
        if needle.isEmpty { return length(haystack) + 1 }
        let bytes = Array(haystack.utf8)
        let pattern = Array(needle.utf8)
        var total = 0
        var position = 0
        while let found = find(bytes, pattern, from: position) {
            total += 1
            position = found + pattern.count
        }
        return total
    }

    /// Python `str.find`, in code points.
    static func findIndex(_ haystack: String, _ needle: String) -> Int {
        let bytes = Array(haystack.utf8)
        guard let offset = find(bytes, Array(needle.utf8)) else { return -1 }
        return String(decoding: bytes[..<offset], as: UTF8.self).unicodeScalars.count
    }

    static func rfindIndex(_ haystack: String, _ needle: String) -> Int {
        let text = scalars(haystack)
        let pattern = scalars(needle)
        guard pattern.count <= text.count else { return -1 }
        var index = text.count - pattern.count
        while index >= 0 {
            if Array(text[index..<index + pattern.count]) == pattern { return index }
            index -= 1
        }
        return -1
    }

    static func startsWith(_ text: String, _ prefix: String) -> Bool {
        text.utf8.starts(with: prefix.utf8)
    }

    static func endsWith(_ text: String, _ suffix: String) -> Bool {
        text.utf8.reversed().starts(with: suffix.utf8.reversed())
    }

    /// Python `str.replace(old, new, count)`; an empty `old` inserts `new` around every character.
    static func replace(_ text: String, _ old: String, _ new: String, count: Int = -1) -> String {
        if old.isEmpty {
            var out = String.UnicodeScalarView()
            var replaced = 0
            for scalar in text.unicodeScalars {
                if count < 0 || replaced < count {
                    out.append(contentsOf: new.unicodeScalars)
                    replaced += 1
                }
                out.append(scalar)
            }
            if count < 0 || replaced < count { out.append(contentsOf: new.unicodeScalars) }
            return String(out)
        }
        let bytes = Array(text.utf8)
        let pattern = Array(old.utf8)
        let replacement = Array(new.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var position = 0
        var replaced = 0
        while count < 0 || replaced < count, let found = find(bytes, pattern, from: position) {
            out.append(contentsOf: bytes[position..<found])
            out.append(contentsOf: replacement)
            position = found + pattern.count
            replaced += 1
        }
        out.append(contentsOf: bytes[position...])
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: stripping

    static func strip(_ text: String, _ characters: String?, leading: Bool, trailing: Bool) -> String {
        let set = characters.map { Set($0.unicodeScalars) }
        func strippable(_ scalar: Unicode.Scalar) -> Bool {
            if let set { return set.contains(scalar) }
            return isSpace(scalar)
        }
        let view = text.unicodeScalars
        var start = view.startIndex
        var end = view.endIndex
        if leading {
            while start < end, strippable(view[start]) { start = view.index(after: start) }
        }
        if trailing {
            while end > start, strippable(view[view.index(before: end)]) { end = view.index(before: end) }
        }
        return String(view[start..<end])
    }

    // MARK: splitting

    /// Python `str.split()` with no separator: runs of whitespace, no empty parts.
    static func splitWhitespace(_ text: String, maxSplit: Int = -1) -> [String] {
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        var inWord = false
        let view = Array(text.unicodeScalars)
        var index = 0
        while index < view.count {
            let scalar = view[index]
            if isSpace(scalar) {
                if inWord {
                    parts.append(String(current))
                    current = String.UnicodeScalarView()
                    inWord = false
                    if maxSplit >= 0 && parts.count == maxSplit {
                        while index < view.count, isSpace(view[index]) { index += 1 }
                        if index < view.count { parts.append(make(view[index...])) }
                        return parts
                    }
                }
            } else {
                current.append(scalar)
                inWord = true
            }
            index += 1
        }
        if inWord { parts.append(String(current)) }
        return parts
    }

    static func split(_ text: String, separator: String, maxSplit: Int = -1) throws -> [String] {
        guard !separator.isEmpty else { throw EvalError.type("empty separator") }
        let bytes = Array(text.utf8)
        let pattern = Array(separator.utf8)
        var parts: [String] = []
        var position = 0
        while maxSplit < 0 || parts.count < maxSplit, let found = find(bytes, pattern, from: position) {
            parts.append(String(decoding: bytes[position..<found], as: UTF8.self))
            position = found + pattern.count
        }
        parts.append(String(decoding: bytes[position...], as: UTF8.self))
        return parts
    }

    static func rsplit(_ text: String, separator: String, maxSplit: Int) throws -> [String] {
        if maxSplit < 0 { return try split(text, separator: separator) }
        guard !separator.isEmpty else { throw EvalError.type("empty separator") }
        let reversedParts = try split(
            make(text.unicodeScalars.reversed()), separator: make(separator.unicodeScalars.reversed()),
            maxSplit: maxSplit)
        return reversedParts.reversed().map { make($0.unicodeScalars.reversed()) }
    }

    /// Python `str.splitlines()`: breaks on \n, \r, \r\n, \v, \f, \x1c-\x1e, \x85, \u2028, \u2029.
    static func splitLines(_ text: String, keepEnds: Bool = false) -> [String] {
        var lines: [String] = []
        let view = Array(text.unicodeScalars)
        var start = 0
        var index = 0
        while index < view.count {
            let scalar = view[index]
            var breakLength = 0
            switch scalar.value {
            case 0x0D:
                breakLength = (index + 1 < view.count && view[index + 1] == "\n") ? 2 : 1
            case 0x0A, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029:
                breakLength = 1
            default:
                break
            }
            if breakLength > 0 {
                let end = keepEnds ? index + breakLength : index
                lines.append(make(view[start..<end]))
                index += breakLength
                start = index
            } else {
                index += 1
            }
        }
        if start < view.count { lines.append(make(view[start...])) }
        return lines
    }

    // MARK: case

    static func upper(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars { out += scalar.properties.uppercaseMapping }
        return out
    }

    static func lower(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = ""
        for index in scalars.indices { out += lowerMapping(scalars, at: index) }
        return out
    }

    /// The full lowercase mapping of one character, with Unicode's Final_Sigma rule that Python
    /// applies: a capital sigma that ends a word becomes "ς".
    static func lowerMapping(_ scalars: [Unicode.Scalar], at index: Int) -> String {
        let scalar = scalars[index]
        guard scalar == "\u{03A3}" else { return scalar.properties.lowercaseMapping }
        var before = index - 1
        while before >= 0, scalars[before].properties.isCaseIgnorable { before -= 1 }
        let afterCased = before >= 0 && scalars[before].properties.isCased
        var after = index + 1
        while after < scalars.count, scalars[after].properties.isCaseIgnorable { after += 1 }
        let beforeCased = after < scalars.count && scalars[after].properties.isCased
        return afterCased && !beforeCased ? "\u{03C2}" : "\u{03C3}"
    }

    private static func isCased(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isCased
    }

    /// Python `str.title`: a cased character after an uncased one starts a word.
    static func title(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = ""
        var previousCased = false
        for index in scalars.indices {
            let scalar = scalars[index]
            out += previousCased ? lowerMapping(scalars, at: index) : scalar.properties.titlecaseMapping
            previousCased = isCased(scalar)
        }
        return out
    }

    /// Python `str.capitalize` (3.8+): first character title-cased, the rest lower-cased.
    static func capitalize(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = ""
        for index in scalars.indices {
            out += index == 0 ? scalars[index].properties.titlecaseMapping : lowerMapping(scalars, at: index)
        }
        return out
    }

    /// Jinja's `title` filter: split into runs of word characters and runs of separators (`-`,
    /// whitespace, opening brackets); each run's first character is upper-cased and the rest
    /// lower-cased.
    static func jinjaTitle(_ text: String) -> String {
        func isBoundary(_ scalar: Unicode.Scalar) -> Bool {
            "-({[<".unicodeScalars.contains(scalar) || isSpace(scalar)
        }
        var runs: [[Unicode.Scalar]] = []
        for scalar in text.unicodeScalars {
            if let last = runs.last?.last, isBoundary(last) == isBoundary(scalar) {
                runs[runs.count - 1].append(scalar)
            } else {
                runs.append([scalar])
            }
        }
        var out = ""
        for run in runs {
            out += run[0].properties.uppercaseMapping
            out += lower(make(run.dropFirst()))
        }
        return out
    }

    static func isUpper(_ text: String) -> Bool {
        var sawCased = false
        for scalar in text.unicodeScalars where isCased(scalar) {
            if scalar.properties.isLowercase { return false }
            sawCased = true
        }
        return sawCased
    }

    static func isLower(_ text: String) -> Bool {
        var sawCased = false
        for scalar in text.unicodeScalars where isCased(scalar) {
            if scalar.properties.isUppercase || scalar.properties.generalCategory == .titlecaseLetter {
                return false
            }
            sawCased = true
        }
        return sawCased
    }

    // MARK: padding

    static func center(_ text: String, width: Int, fill: Unicode.Scalar = " ") -> String {
        let length = self.length(text)
        guard width > length else { return text }
        let margin = width - length
        // CPython puts the extra space on the left when both the margin and the width are odd.
        let left = margin / 2 + (margin & width & 1)
        let right = margin - left
        return String(repeating: String(fill), count: left) + text + String(repeating: String(fill), count: right)
    }
}
