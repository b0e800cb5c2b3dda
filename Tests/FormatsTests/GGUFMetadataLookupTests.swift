import Testing
@testable import Formats

/// Typed metadata lookups: the value when the type fits, errors naming the key otherwise.
@Suite struct GGUFMetadataLookupTests {
    let metadata: GGUFMetadata

    init() throws {
        metadata = try GGUFMetadata([
            ("n", .uint32(30)), ("x", .float32(0.5)), ("name", .string("llama")), ("flag", .bool(true)),
            ("heads", .array([.int32(8), .int32(0)])), ("words", .array([.string("a"), .string("b")])),
            ("big", .uint64(UInt64.max)),
        ])
    }

    @Test func valuesOfMatchingTypes() throws {
        #expect(try metadata.int("n") == 30)
        #expect(try metadata.double("n") == 30)
        #expect(try metadata.float("x") == 0.5)
        #expect(try metadata.string("name") == "llama")
        #expect(try metadata.bool("flag"))
        #expect(try metadata.ints("heads") == [8, 0])
        #expect(try metadata.floats("heads") == [8, 0])
        #expect(try metadata.strings("words") == ["a", "b"])
        #expect(try metadata.intIfPresent("absent") == nil)
        #expect(try metadata.stringIfPresent("name") == "llama")
    }

    @Test func missingAndMistypedKeysAreNamed() {
        #expect(ggufError { _ = try metadata.int("llama.block_count") } == .missingKey("llama.block_count"))
        #expect(ggufError { _ = try metadata.int("name") }
            == .keyTypeMismatch(key: "name", actual: "string", expected: "integer"))
        #expect(ggufError { _ = try metadata.string("heads") }
            == .keyTypeMismatch(key: "heads", actual: "array of int32", expected: "string"))
        #expect(ggufError { _ = try metadata.ints("words") }
            == .keyTypeMismatch(key: "words", actual: "array of string", expected: "array of integer"))
        #expect(ggufError { _ = try metadata.intIfPresent("x") }
            == .keyTypeMismatch(key: "x", actual: "float32", expected: "integer"))
        // A uint64 too large for Int is not silently wrapped.
        #expect(ggufError { _ = try metadata.int("big") } != nil)
        #expect(GGUFError.missingKey("llama.block_count").description.contains("llama.block_count"))
    }

    @Test func duplicateKeysAreRejected() {
        #expect(ggufError { _ = try GGUFMetadata([("a", .bool(true)), ("a", .bool(false))]) } != nil)
    }
}
