import Foundation
import JSON
import Testing

/// A repeated key: by default the last value wins at the first position (as Python's
/// `json.loads` builds a dict); parsing that rejects duplicates names the key and where it is,
/// at any depth.
@Suite struct JSONDuplicateKeyTests {
    @Test func byDefaultTheLastValueWins() throws {
        let value = try JSONValue(parsing: Data(#"{"a": 1, "b": 2, "a": 3}"#.utf8))
        guard case .object(let object) = value else { Issue.record("not an object"); return }
        #expect(object.keys == ["a", "b"])
        #expect(object["a"] == .int(3))
    }

    @Test(arguments: [(#"{"a": 1, "a": 2}"#, 9), (#"{"x": {"k": [], "k": {}}, "y": 0}"#, 16)])
    func rejectingNamesTheKeyAndItsOffset(_ text: String, _ offset: Int) {
        #expect(throws: JSONSyntaxError(offset: offset, message: #"duplicate key "\#(text.contains("k") ? "k" : "a")""#)) {
            _ = try JSONValue(parsing: Data(text.utf8), rejectingDuplicateKeys: true)
        }
    }

    /// The same key in different objects is not a duplicate.
    @Test func sameKeyInSiblingObjectsIsAllowed() throws {
        _ = try JSONValue(parsing: Data(#"{"a": {"k": 1}, "b": {"k": 2}}"#.utf8), rejectingDuplicateKeys: true)
    }
}
