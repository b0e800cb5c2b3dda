import Foundation
import GenRM

/// What `genrm backends check` finds out about one server: whether it answers, which models it
/// lists, whether it takes the GenRM roles, and whether it returns logprobs (the score read-out).
public struct BackendCheck: Sendable {
    public var url: String
    public var health: String
    public var models: [String]?
    public var roles: String
    public var logprobs: String
    public var problem: String?

    /// The card's one-response example, one generated token, top logprobs asked for.
    public static func run(_ endpoint: BackendEndpoint, http: BackendHTTP, model: String?, timeout: Duration) async -> BackendCheck {
        let url = endpoint.baseURL
        var check = BackendCheck(url: url, health: "-", models: nil, roles: "-", logprobs: "-", problem: nil)
        do {
            let health = try await http.get(endpoint.root + "/health", backend: url, timeout: timeout)
            check.health = health.status == 200 ? "ok" : "HTTP \(health.status)"
        } catch {
            check.health = "unreachable"
            check.problem = "\(error)"
            return check
        }
        let chosen: String
        do {
            let models = try await http.models(of: endpoint, timeout: timeout)
            check.models = models
            chosen = try BackendPool.choose(model: model, from: models, backend: url)
        } catch {
            check.problem = "\(error)"
            return check
        }
        let messages: [[String: String]] = [
            ["role": "user", "content": "What is 1+1?"], ["role": "assistant", "content": "1+1=2"],
            ["role": "user", "content": "What about 1+2?"], ["role": "response_1", "content": "1+2=4"],
        ]
        for withLogprobs in [true, false] {
            var body: [String: Any] = ["model": chosen, "messages": messages, "max_tokens": 1, "temperature": 0, "seed": 1]
            if withLogprobs {
                body["logprobs"] = true
                body["top_logprobs"] = RemoteJudgeBackend.topLogprobs
            }
            do {
                let json = try JSONSerialization.data(withJSONObject: body)
                let reply = try await http.post(endpoint.url("/chat/completions"), json: json, backend: url, timeout: timeout)
                let message = OpenAIWire.errorMessage(reply.body)
                if reply.status == 200 {
                    check.roles = "accepted"
                    if withLogprobs {
                        let generated = try OpenAIWire.chatCompletion(reply.body, backend: url)
                        check.logprobs = (generated.tokens?.first?.top.isEmpty == false) ? "yes" : "no (none returned)"
                    }
                    return check
                }
                if withLogprobs, reply.status == 400, message.contains("logprobs") {
                    check.logprobs = "refused (\(message))"
                    continue
                }
                check.roles = "refused (HTTP \(reply.status): \(message))"
                return check
            } catch {
                check.problem = "\(error)"
                return check
            }
        }
        return check
    }

    /// Usable as a judge backend: it answers, serves a model and takes the roles.
    public var usable: Bool { problem == nil && roles == "accepted" }

    public var line: String {
        var parts = ["health \(health)"]
        if let models { parts.append("models \(models.isEmpty ? "(none)" : models.joined(separator: ", "))") }
        parts.append("GenRM roles \(roles)")
        parts.append("logprobs \(logprobs)")
        if let problem { parts.append("problem: \(problem)") }
        return "\(url): " + parts.joined(separator: "; ")
    }
}
