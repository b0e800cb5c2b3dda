import Testing

/// A request body one route must refuse with a 400 naming `param` and saying `messageContains`,
/// for the tests that list such bodies per route (TokenizeTests, PenaltyFieldsTests).
struct RejectedRequest: Sendable, CustomStringConvertible {
    let path: String
    let body: String
    let param: String
    let messageContains: String
    var description: String { "\(path) \(body)" }

    /// Posts the body to the shared completions server and checks the error.
    func expectRejected() async throws {
        let server = try await TestServers.completions.value
        let reply = try await LoopbackHTTP.post(port: server.port, path: path, raw: body)
        try BadRequestTests.expectError(reply, status: 400, param: param, contains: messageContains)
    }
}
