/// The character classes the pre-tokenizer patterns distinguish, in the Unicode sense the
/// reference regex engine (Oniguruma in HF `tokenizers`) gives `\p{L}`, `\p{N}` and `\s`.
enum ScalarClass: UInt8, Sendable {
    /// `\p{L}`: general categories Lu, Ll, Lt, Lm, Lo.
    case letter
    /// `\p{N}`: general categories Nd, Nl, No.
    case number
    /// `\r` or `\n` (also whitespace, but several patterns single them out).
    case newline
    /// `\s` other than `\r` and `\n`: the White_Space property.
    case space
    /// Everything else: punctuation, symbols, marks, controls, format characters, emoji.
    case other

    var isWhitespace: Bool { self == .space || self == .newline }

    init(_ scalar: Unicode.Scalar) {
        if scalar.value < 0x80 {
            self = ScalarClass.ascii[Int(scalar.value)]
            return
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            self = .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            self = .number
        default:
            self = scalar.properties.isWhitespace ? .space : .other
        }
    }

    private static let ascii: [ScalarClass] = (0..<128).map { v in
        let c = UInt8(v)
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): return .letter
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case 0x0A, 0x0D: return .newline
        case 0x09, 0x0B, 0x0C, 0x20: return .space
        default: return .other
        }
    }
}

/// A stretch of UTF-8 text decoded once into scalars, their classes and their byte offsets, so
/// the pre-tokenizer scanners index it in O(1) and hand back byte ranges.
struct ClassifiedText {
    /// (n) the scalars.
    private(set) var scalars: [Unicode.Scalar] = []
    /// (n) the class of each scalar.
    private(set) var classes: [ScalarClass] = []
    /// (n + 1) the offset in the whole text of each scalar's first byte, then the stretch's end.
    private(set) var byteOffsets: [Int] = []

    /// Decodes `bytes` (valid UTF-8, as taken from a `String`); indices are the text's own.
    init(_ bytes: ArraySlice<UInt8>) {
        scalars.reserveCapacity(bytes.count)
        classes.reserveCapacity(bytes.count)
        byteOffsets.reserveCapacity(bytes.count + 1)
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = bytes.startIndex
        decoding: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                scalars.append(scalar)
                classes.append(ScalarClass(scalar))
                byteOffsets.append(offset)
                offset += UTF8.width(scalar)
            case .emptyInput:
                break decoding
            case .error:
                // Unreachable for text from a String; a replacement keeps offsets consistent.
                scalars.append("\u{FFFD}")
                classes.append(.other)
                byteOffsets.append(offset)
                offset += 1
            }
        }
        byteOffsets.append(offset)
    }

    var count: Int { scalars.count }
}
