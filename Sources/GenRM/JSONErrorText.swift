import Foundation

/// Foundation's `JSONDecoder` reports every syntax error as "The given data was not valid JSON."
/// `JSONSerialization` says where ("Invalid value around character 3."), so on the error path the
/// text is parsed once more to get that message.
enum JSONErrorText {
    static func describe(_ json: Data, decodingError: any Error) -> String {
        do {
            _ = try JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed])
        } catch let error as NSError {
            if let detail = error.userInfo[NSDebugDescriptionErrorKey] as? String { return detail }
        }
        guard case .dataCorrupted(let context)? = decodingError as? DecodingError else {
            return String(describing: decodingError)
        }
        return context.debugDescription
    }
}
