import Foundation
import Testing
@testable import Server

@Suite struct InfoRoutesTests {
    @Test func modelsListsTheServedModel() async throws {
        let server = try await TestServers.standard.value
        let json = try await server.get("/v1/models").json()
        #expect(json["object"] as? String == "list")
        let model = try #require((json["data"] as? [[String: Any]])?.first)
        #expect(model["id"] as? String == TestServers.servedName)
        #expect(model["object"] as? String == "model")
        #expect(model["owned_by"] is String)
        #expect(model["created"] is Int)
        #expect(model["max_model_len"] as? Int == server.server.configuration.maxModelLength)
    }

    @Test func healthIsAnEmpty200() async throws {
        let server = try await TestServers.standard.value
        let reply = try await server.get("/health")
        #expect(reply.status == 200)
        #expect(reply.body.isEmpty)
    }

    @Test func metricsCountRequestsAndTokens() async throws {
        let server = try await TestServers.standard.value
        _ = try await server.post("/v1/chat/completions", Bodies.with(Bodies.chat, ["max_tokens": 2]))
        let text = try await server.get("/metrics").text
        for name in ["genrm_requests_total", "genrm_request_duration_seconds_bucket", "genrm_prompt_tokens_total",
                     "genrm_generation_tokens_total", "genrm_queue_depth", "genrm_running_sequences", "genrm_kv_cache_sequences"] {
            #expect(text.contains(name), "\(name) missing")
        }
        #expect(text.contains(#"route="/v1/chat/completions""#))
        #expect(text.contains(#"status="200""#))
    }

    /// The served OpenAPI document is the one in the repository and documents every route.
    @Test func openAPIDocumentsEveryRoute() async throws {
        let server = try await TestServers.standard.value
        let reply = try await server.get("/openapi.json")
        #expect(reply.status == 200)
        let json = try reply.json()
        #expect((json["openapi"] as? String)?.hasPrefix("3.") == true)
        let paths = try #require(json["paths"] as? [String: Any])
        #expect(Set(paths.keys) == [
            "/v1/chat/completions", "/v1/completions", "/v1/judge", "/v1/rewards", "/v1/models", "/tokenize", "/detokenize", "/health",
            "/metrics", "/openapi.json",
        ])
        // Every route the server knows (its 405s come from this table) is in the document.
        #expect(Set(paths.keys) == Set(RouteMethods.byPath.keys))
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let kept = try Data(contentsOf: repository.appendingPathComponent("docs/openapi.json"))
        #expect(kept == reply.body, "the served document differs from docs/openapi.json: run scripts/embed_resources.py")
    }
}
