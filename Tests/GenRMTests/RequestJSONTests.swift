import Foundation
import GenRM
import Testing

/// Reading requests from JSON: both accepted shapes, content forms, and every shape error.
@Suite struct RequestJSONTests {
    func request(_ json: String) throws(RequestError) -> JudgeRequest {
        try JudgeRequest(json: Data(json.utf8))
    }

    @Test func readsAChatCompletionsBodyAndABareArray() throws {
        let messages = #"[{"role": "user", "content": "q"}, {"role": "response_1", "content": "a"}]"#
        let fromArray = try request(messages)
        let fromBody = try request(#"{"model": "m", "temperature": 0.6, "messages": \#(messages)}"#)
        #expect(fromArray == fromBody)
        #expect(fromArray.responses == ["a"])
    }

    @Test func joinsTextPartsWithNewlines() throws {
        let judged = try request(#"""
            [{"role": "user", "content": [{"type": "text", "text": "one"}, {"type": "text", "text": "two"}]},
             {"role": "response_1", "content": []}]
            """#)
        #expect(judged.history == [HistoryTurn(.user, "one\ntwo")])
        #expect(judged.responses == [""])
    }

    @Test func contentOfTheWrongTypeNamesTheMessage() {
        let cases: [(String, RequestError)] = [
            (#"[{"role": "user", "content": 42}]"#, .invalidContent(index: 0, role: "user", problem: .wrongType(found: "a number"))),
            (#"[{"role": "user", "content": "q"}, {"role": "response_1", "content": null}]"#,
             .invalidContent(index: 1, role: "response_1", problem: .wrongType(found: "null"))),
            (#"[{"role": "user", "content": {"text": "q"}}]"#, .invalidContent(index: 0, role: "user", problem: .wrongType(found: "an object"))),
            (#"[{"role": "user", "content": true}]"#, .invalidContent(index: 0, role: "user", problem: .wrongType(found: "a boolean"))),
            (#"[{"role": "user", "content": ["q"]}]"#, .invalidContent(index: 0, role: "user", problem: .partNotObject(part: 0, found: "a string"))),
            (#"[{"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "image_url", "image_url": {}}]}]"#,
             .invalidContent(index: 0, role: "user", problem: .unsupportedPart(part: 1, type: "image_url"))),
            (#"[{"role": "user", "content": [{"text": "a"}]}]"#, .invalidContent(index: 0, role: "user", problem: .unsupportedPart(part: 0, type: "(missing)"))),
            (#"[{"role": "user", "content": [{"type": "text", "text": 5}]}]"#, .invalidContent(index: 0, role: "user", problem: .partWithoutText(part: 0))),
        ]
        for (json, expected) in cases {
            #expect(throws: expected, "\(json)") { try request(json) }
        }
    }

    @Test func shapeErrorsNameTheField() {
        let cases: [(String, RequestError)] = [
            ("\"hello\"", .notARequest(found: "a string")),
            ("{\"model\": \"m\"}", .missingMessagesField),
            ("{\"messages\": {}}", .messagesNotArray(found: "an object")),
            ("[1]", .messageNotObject(index: 0, found: "a number")),
            (#"[{"content": "q"}]"#, .missingRole(index: 0)),
            (#"[{"role": 1, "content": "q"}]"#, .roleNotString(index: 0, found: "a number")),
            (#"[{"role": "user", "content": "q"}, {"role": "response_1"}]"#, .missingContent(index: 1, role: "response_1")),
            ("{\"messages\": []}", .noMessages),
        ]
        for (json, expected) in cases {
            #expect(throws: expected, "\(json)") { try request(json) }
        }
    }

    @Test func invalidJSONIsATypedError() {
        for text in ["", "{", "[{\"role\": \"user\" \"content\": \"q\"}]", "not json", "[1 2]"] {
            let error = #expect(throws: RequestError.self, "\(text)") { try request(text) }
            guard case .invalidJSON? = error else {
                Issue.record("\(text): expected invalidJSON, got \(String(describing: error))")
                continue
            }
        }
    }

    @Test func chatMessageDecodesBothContentForms() throws {
        let decoded = try JSONDecoder().decode(
            [ChatMessage].self,
            from: Data(#"[{"role": "user", "content": "a"}, {"role": "user", "content": [{"type": "text", "text": "b"}]}]"#.utf8))
        #expect(decoded == [ChatMessage(role: "user", content: "a"), ChatMessage(role: "user", content: "b")])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ChatMessage.self, from: Data(#"{"role": "user", "content": 3}"#.utf8))
        }
    }
}
