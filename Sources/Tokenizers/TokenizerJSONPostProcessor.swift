import Foundation

/// The special tokens a tokenizer.json post-processor template puts around a single sequence.
struct TokenizerJSONPostProcessor {
    private(set) var leading: String?
    private(set) var trailing: String?

    mutating func parse(_ component: Any, path: String) throws(TokenizerError) {
        if component is NSNull { return }
        guard let object = component as? [String: Any], let type = object["type"] as? String else {
            throw .invalidField(path, reason: "not an object with a 'type'")
        }
        switch type {
        case "ByteLevel":
            return
        case "Sequence":
            guard let list = object["processors"] as? [Any] else { throw .missingField("\(path).processors") }
            for (index, item) in list.enumerated() { try parse(item, path: "\(path).processors[\(index)]") }
        case "TemplateProcessing":
            guard let single = object["single"] as? [[String: Any]] else { throw .missingField("\(path).single") }
            var seenSequence = false
            for (index, piece) in single.enumerated() {
                if piece["Sequence"] != nil {
                    seenSequence = true
                } else if let special = piece["SpecialToken"] as? [String: Any], let id = special["id"] as? String {
                    guard (seenSequence ? trailing : leading) == nil else {
                        throw .unsupportedComponent("\(path).single[\(index)]: more than one special token on a side")
                    }
                    if seenSequence { trailing = id } else { leading = id }
                } else {
                    throw .invalidField("\(path).single[\(index)]", reason: "neither Sequence nor SpecialToken")
                }
            }
        default:
            throw .unsupportedComponent("\(path) \(type)")
        }
    }
}
