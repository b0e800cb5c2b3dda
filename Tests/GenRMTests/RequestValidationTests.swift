import Foundation
import GenRM
import Testing

/// Every conversation rule of PROTOCOL.md section 1, each with the error that names its index.
@Suite struct RequestValidationTests {
    let question = ("user", "What about 1+2?")

    @Test func acceptsTheCardsTwoResponseRequest() throws {
        let request = try JudgeRequest(messages: messages(
            ("user", "What is 1+1?"), ("assistant", "1+1=2"), question, ("response_1", "1+2=4"), ("response_2", "1+2=3")))
        #expect(request.system == nil)
        #expect(request.history == [HistoryTurn(.user, "What is 1+1?"), HistoryTurn(.assistant, "1+1=2"), HistoryTurn(.user, "What about 1+2?")])
        #expect(request.responses == ["1+2=4", "1+2=3"])
        #expect(request.responseCount == .two)
    }

    @Test func keepsALeadingSystemMessage() throws {
        let request = try JudgeRequest(messages: messages(("system", "Be brief."), question, ("response_1", "3")))
        #expect(request.system == "Be brief.")
        #expect(request.history == [HistoryTurn(.user, "What about 1+2?")])
        #expect(request.responseCount == .one)
    }

    @Test func allowsEmptyResponseText() throws {
        let request = try JudgeRequest(messages: messages(question, ("response_1", ""), ("response_2", "")))
        #expect(request.responses == ["", ""])
    }

    @Test func rejectsNoMessages() {
        #expect(throws: RequestError.noMessages) { try JudgeRequest(messages: []) }
    }

    @Test func rejectsAConversationWithoutAUserTurn() {
        #expect(throws: RequestError.noUserTurn(responseIndex: 1)) {
            try JudgeRequest(messages: messages(("assistant", "Hello"), ("response_1", "x")))
        }
        #expect(throws: RequestError.noUserTurn(responseIndex: 1)) {
            try JudgeRequest(messages: messages(("system", "Be brief."), ("response_1", "x")))
        }
        #expect(throws: RequestError.noUserTurn(responseIndex: 0)) {
            try JudgeRequest(messages: messages(("response_1", "x")))
        }
    }

    @Test func rejectsHistoryThatDoesNotEndWithTheUser() {
        #expect(throws: RequestError.lastHistoryTurnNotUser(index: 1, role: "assistant")) {
            try JudgeRequest(messages: messages(question, ("assistant", "3"), ("response_1", "x")))
        }
    }

    @Test func rejectsMissingResponse1() {
        #expect(throws: RequestError.missingResponse1(messageCount: 2)) {
            try JudgeRequest(messages: messages(question, ("assistant", "3")))
        }
    }

    @Test func rejectsResponse2WithoutResponse1() {
        #expect(throws: RequestError.response2WithoutResponse1(index: 1)) {
            try JudgeRequest(messages: messages(question, ("response_2", "x")))
        }
    }

    @Test func rejectsResponsesOutOfOrder() {
        #expect(throws: RequestError.responsesOutOfOrder(index: 1)) {
            try JudgeRequest(messages: messages(question, ("response_2", "x"), ("response_1", "y")))
        }
    }

    @Test func rejectsARepeatedResponse() {
        #expect(throws: RequestError.repeatedResponse(index: 2, role: "response_1")) {
            try JudgeRequest(messages: messages(question, ("response_1", "x"), ("response_1", "y")))
        }
        #expect(throws: RequestError.repeatedResponse(index: 3, role: "response_2")) {
            try JudgeRequest(messages: messages(question, ("response_1", "x"), ("response_2", "y"), ("response_2", "z")))
        }
        #expect(throws: RequestError.repeatedResponse(index: 3, role: "response_1")) {
            try JudgeRequest(messages: messages(question, ("response_1", "x"), ("response_2", "y"), ("response_1", "z")))
        }
    }

    @Test func rejectsMessagesAfterTheResponses() {
        #expect(throws: RequestError.messageAfterResponses(index: 2, role: "user")) {
            try JudgeRequest(messages: messages(question, ("response_1", "x"), ("user", "more")))
        }
        #expect(throws: RequestError.messageAfterResponses(index: 3, role: "assistant")) {
            try JudgeRequest(messages: messages(question, ("response_1", "x"), ("response_2", "y"), ("assistant", "z")))
        }
        #expect(throws: RequestError.messageAfterResponses(index: 2, role: "system")) {
            try JudgeRequest(messages: messages(question, ("response_1", "x"), ("system", "late")))
        }
    }

    @Test func rejectsAThirdResponse() {
        #expect(throws: RequestError.thirdResponse(index: 3, role: "response_3")) {
            try JudgeRequest(messages: messages(question, ("response_1", "x"), ("response_2", "y"), ("response_3", "z")))
        }
        #expect(throws: RequestError.thirdResponse(index: 1, role: "response_12")) {
            try JudgeRequest(messages: messages(question, ("response_12", "x")))
        }
    }

    @Test(arguments: ["tool", "developer", "User", "response_0", "response_01", "response_", "response_x", ""])
    func rejectsAnUnknownRole(role: String) {
        #expect(throws: RequestError.unknownRole(index: 1, role: role)) {
            try JudgeRequest(messages: messages(question, (role, "x"), ("response_1", "y")))
        }
    }

    @Test func rejectsASystemMessageAfterTheFirst() {
        #expect(throws: RequestError.misplacedSystem(index: 1)) {
            try JudgeRequest(messages: messages(question, ("system", "late"), ("response_1", "x")))
        }
    }

    @Test func errorMessagesNameTheIndexAndTheRule() {
        #expect(RequestError.lastHistoryTurnNotUser(index: 4, role: "assistant").description
            == "the last conversation turn before the responses (message 4) is `assistant`; it must be the user's query")
        #expect(RequestError.thirdResponse(index: 5, role: "response_3").description.contains("message 5"))
        #expect(RequestError.invalidContent(index: 2, role: "user", problem: .wrongType(found: "a number")).description
            == "message 2 (user): content is a number; expected a string or an array of {\"type\": \"text\", \"text\": ...} parts")
    }

    @Test func judgesOnlyTheTextAfterTheLastThinkTagByDefault() throws {
        let sent = messages(question, ("response_1", "<think>a</think>draft</think>\n\n 3 \n"), ("response_2", "no tags"))
        let request = try JudgeRequest(messages: sent)
        #expect(request.responses == ["3", "no tags"])
        let asSent = try JudgeRequest(messages: sent, options: RequestOptions(stripsCandidateReasoning: false))
        #expect(asSent.responses == ["<think>a</think>draft</think>\n\n 3 \n", "no tags"])
    }

    @Test func leavesAnUnfinishedThinkBlockAsIs() {
        #expect(CandidateReasoning.finalAnswer(of: "<think>still thinking") == "<think>still thinking")
        #expect(CandidateReasoning.finalAnswer(of: "<think>done</think>") == "")
    }

    @Test func messagesRoundTripAndSwap() throws {
        let sent = messages(("system", "s"), question, ("response_1", "a"), ("response_2", "b"))
        let request = try JudgeRequest(messages: sent)
        #expect(request.messages == sent)
        let swapped = try request.swapped()
        #expect(swapped.responses == ["b", "a"])
        #expect(try swapped.swapped() == request)
        #expect(throws: RequestError.cannotSwapOneResponse) {
            try JudgeRequest(messages: messages(question, ("response_1", "a"))).swapped()
        }
    }

    @Test func codableKeepsTheJudgedTextWithoutStrippingTwice() throws {
        let request = try JudgeRequest(
            messages: messages(question, ("response_1", "x</think>y")), options: RequestOptions(stripsCandidateReasoning: false))
        let decoded = try JSONDecoder().decode(JudgeRequest.self, from: JSONEncoder().encode(request))
        #expect(decoded == request)
        let invalid = Data(#"{"messages": [{"role": "response_1", "content": "x"}]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(JudgeRequest.self, from: invalid) }
    }
}
