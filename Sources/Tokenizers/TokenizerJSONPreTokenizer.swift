import Foundation

/// Reads a tokenizer.json `pre_tokenizer` into the scanners that implement it.
struct TokenizerJSONPreTokenizer {
    private(set) var stages: [any PreTokenizer] = []
    private(set) var hasByteLevel = false

    var result: any PreTokenizer {
        stages.count == 1 ? stages[0] : PreTokenizerSequence(stages: stages)
    }

    /// The Split regexes implemented, by their exact text, as (maximum digit run, (?i) folding);
    /// a maximum of 0 marks the GPT-2 pattern.
    static let knownSplitPatterns: [String: (maxDigits: Int, folding: Bool)] = [
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#:
            (3, true),
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#:
            (1, true),
        #"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#:
            (3, false),
        #"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#:
            (1, false),
        #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#: (0, false),
    ]

    mutating func parse(_ component: Any, path: String) throws(TokenizerError) {
        if component is NSNull { return }
        guard let object = component as? [String: Any], let type = object["type"] as? String else {
            throw .invalidField(path, reason: "not an object with a 'type'")
        }
        switch type {
        case "Sequence":
            guard let list = object["pretokenizers"] as? [Any] else { throw .missingField("\(path).pretokenizers") }
            for (index, item) in list.enumerated() { try parse(item, path: "\(path).pretokenizers[\(index)]") }
        case "ByteLevel":
            if object["add_prefix_space"] as? Bool == true {
                throw .unsupportedPreTokenizer("\(path): ByteLevel with add_prefix_space = true")
            }
            hasByteLevel = true
            if object["use_regex"] as? Bool ?? true { stages.append(GPT2PatternScanner()) }
        case "Digits":
            guard object["individual_digits"] as? Bool == true else {
                throw .unsupportedPreTokenizer("\(path): Digits with individual_digits = false")
            }
            stages.append(IndividualDigitSplitter())
        case "Split":
            let behavior = object["behavior"] as? String ?? "(none)"
            guard behavior == "Isolated", object["invert"] as? Bool != true else {
                throw .unsupportedPreTokenizer("\(path): Split with behavior \(behavior)")
            }
            let pattern = (object["pattern"] as? [String: Any])?["Regex"] as? String ?? "(not a Regex pattern)"
            guard let known = Self.knownSplitPatterns[pattern] else {
                throw .unsupportedPreTokenizer("\(path): Split regex \(pattern)")
            }
            if known.maxDigits == 0 {
                stages.append(GPT2PatternScanner())
            } else {
                stages.append(Llama3PatternScanner(maxDigits: known.maxDigits, caseInsensitiveFolding: known.folding))
            }
        default:
            throw .unsupportedPreTokenizer("\(path): \(type)")
        }
    }
}
