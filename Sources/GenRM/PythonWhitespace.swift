/// Whitespace exactly as Python's `str.isspace` / `str.strip()` define it, because the reference
/// implementations (Jinja's `trim`, NVIDIA's `.strip()`) are Python. Foundation's
/// `whitespacesAndNewlines` differs (it lacks U+001C...U+001F, for one).
public enum PythonWhitespace {
    public static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            true
        default:
            false
        }
    }

    /// `text.strip()`: removes leading and trailing whitespace code points (not graphemes, so a
    /// space carrying a combining mark stays, as in Python).
    public static func strip(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isWhitespace($0) }),
              let last = scalars.lastIndex(where: { !isWhitespace($0) })
        else { return "" }
        return String(scalars[first...last])
    }
}
