import JSON
import Testing

/// The one typed field reader: what each read takes, what it refuses, and how the error names
/// the field (the path of a nested object, the index of a list element).
@Suite struct JSONFieldsTests {
    static func fields(_ json: String) throws -> JSONFields<JSONFieldError> {
        guard case .object(let object) = try JSONValue(parsing: json) else { throw JSONFieldError(field: "", param: "", problem: "not an object") }
        return JSONFields(object) { $0 }
    }

    @Test func typedReadsTakeTheirTypes() throws {
        let fields = try Self.fields(#"{"s": "x", "b": true, "i": 3, "whole": 3.0, "exp": 1e3, "d": 0.5, "n": null, "list": ["a", "b"]}"#)
        #expect(try fields.string("s") == "x")
        #expect(try fields.bool("b") == true)
        #expect(try fields.int("i") == 3)
        #expect(try fields.int("whole") == 3)
        #expect(try fields.int("exp") == 1000)
        #expect(try fields.double("i") == 3)
        #expect(try fields.double("d") == 0.5)
        #expect(try fields.string("n") == nil)
        #expect(try fields.string("absent") == nil)
        #expect(fields.has("n") == false)
        #expect(try fields.strings("list") == ["a", "b"])
        #expect(try fields.stringOrStrings("s") == ["x"])
        #expect(try fields.stringOrStrings("list") == ["a", "b"])
    }

    @Test func mismatchesNameTheFieldAndWhatWasFound() throws {
        let fields = try Self.fields(#"{"s": 1, "i": 1.5, "flag": "yes", "votes": [2, 3.5], "texts": "ab", "null": null}"#)
        #expect(throws: JSONFieldError(field: "s", param: "s", problem: "must be a string, found a number")) { try fields.string("s") }
        #expect(throws: JSONFieldError(field: "i", param: "i", problem: "must be an integer, found 1.5")) { try fields.int("i") }
        #expect(throws: JSONFieldError(field: "flag", param: "flag", problem: "must be a boolean, found a string")) { try fields.bool("flag") }
        #expect(throws: JSONFieldError(field: "votes[1]", param: "votes", problem: "must be an integer, found 3.5")) { try fields.ints("votes") }
        // A list field given one string is refused, not read as a list of one.
        #expect(throws: JSONFieldError(field: "texts", param: "texts", problem: "must be an array, found a string")) { try fields.strings("texts") }
        #expect(throws: JSONFieldError(field: "absent", param: "absent", problem: "is missing")) { try fields.string(required: "absent") }
        #expect(throws: JSONFieldError(field: "null", param: "null", problem: "must be a string, found null")) { try fields.string(required: "null") }
    }

    @Test func nestedFieldsCarryTheirPath() throws {
        let fields = try Self.fields(#"{"stream_options": {"include_usage": 1}, "history": [{"role": 2}]}"#)
        let options = try #require(try fields.nested("stream_options"))
        #expect(throws: JSONFieldError(field: "stream_options.include_usage", param: "stream_options.include_usage", problem: "must be a boolean, found a number")) {
            try options.bool("include_usage")
        }
        let turns = try #require(try fields.objects("history"))
        #expect(throws: JSONFieldError(field: "history[0].role", param: "history[0].role", problem: "must be a string, found a number")) {
            try turns[0].string("role")
        }
    }

    enum Schedule: String, CaseIterable { case circular, allPairs = "all_pairs" }

    @Test func choicesListTheAllowedValues() throws {
        let fields = try Self.fields(#"{"good": "all_pairs", "bad": "ring", "kind": 3}"#)
        #expect(try fields.choice("good", Schedule.self) == .allPairs)
        #expect(throws: JSONFieldError(field: "bad", param: "bad", problem: #"must be one of "circular", "all_pairs", found "ring""#)) {
            try fields.choice("bad", Schedule.self)
        }
        #expect(throws: JSONFieldError(field: "kind", param: "kind", problem: #"must be one of "circular", "all_pairs", found a number"#)) {
            try fields.choice("kind", Schedule.self)
        }
    }

    @Test func unknownKeysAreListedInOrder() throws {
        let fields = try Self.fields(#"{"model": "m", "zeta": 1, "alpha": 2}"#)
        #expect(fields.unknownKeys(known: ["model"]) == ["zeta", "alpha"])
    }

    @Test func syntaxErrorsNameTheByte() {
        #expect(throws: JSONSyntaxError(offset: 7, message: "expected ',' or '}' in object")) { try JSONValue(parsing: #"{"a":1 "b":2}"#) }
    }
}
