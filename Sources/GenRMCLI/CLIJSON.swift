import Foundation

/// JSON as genrm subcommands print it: pretty, keys in a fixed order, UTF-8 text unescaped, one
/// trailing newline.
enum CLIJSON {
    static func string(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}
