import Foundation
import Testing
@testable import Server

@Suite struct OpenAIErrorTests {
    @Test func bodyHasTheOpenAIShape() throws {
        let error = OpenAIError.badRequest("`n` = 0 is out of range: must be >= 1", param: "n")
        let object = try #require(try JSONSerialization.jsonObject(with: error.body) as? [String: Any])
        let inner = try #require(object["error"] as? [String: Any])
        #expect(inner["message"] as? String == "`n` = 0 is out of range: must be >= 1")
        #expect(inner["type"] as? String == "BadRequestError")
        #expect(inner["param"] as? String == "n")
        #expect(inner["code"] as? Int == 400)
    }

    @Test func paramIsNullWhenNoFieldIsToBlame() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: OpenAIError.overloaded("busy").body) as? [String: Any])
        let inner = try #require(object["error"] as? [String: Any])
        #expect(inner["param"] is NSNull)
        #expect(inner["code"] as? Int == 503)
    }
}
