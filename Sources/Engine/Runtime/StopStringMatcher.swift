/// Finds stop strings in generated text and decides how much text is safe to stream: text that
/// could still turn out to begin a stop string, or an incomplete UTF-8 character (decoded as
/// U+FFFD), is held back until the next token settles it. Works on Unicode scalars, whose
/// boundaries do not move as text grows (Character boundaries can).
struct StopStringMatcher {
    let stops: [[Unicode.Scalar]]

    init(_ stopStrings: [String]) {
        stops = stopStrings.filter { !$0.isEmpty }.map { Array($0.unicodeScalars) }
    }

    /// Where the earliest stop string starts in `text`, as a scalar offset.
    func firstStop(in text: [Unicode.Scalar]) -> Int? {
        var best: Int?
        for stop in stops where stop.count <= text.count {
            for start in 0...(text.count - stop.count) where best.map({ start < $0 }) ?? true {
                if text[start..<(start + stop.count)].elementsEqual(stop) {
                    best = start
                    break
                }
            }
        }
        return best
    }

    /// How many leading scalars of `text` (which holds no stop string) can be emitted for sure.
    func safePrefixLength(of text: [Unicode.Scalar]) -> Int {
        var held = 0
        // The longest suffix that is a proper prefix of some stop string.
        for stop in stops {
            for length in stride(from: min(stop.count - 1, text.count), to: held, by: -1)
            where text[(text.count - length)...].elementsEqual(stop[0..<length]) {
                held = length
                break
            }
        }
        var end = text.count - held
        while end > 0, text[end - 1] == "\u{FFFD}", text.count - end < 4 { end -= 1 }
        return end
    }
}
