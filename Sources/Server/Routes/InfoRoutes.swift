import Foundation
import Hummingbird

/// The small GET routes: `/v1/models`, `/health`, `/metrics`, `/openapi.json`.
struct InfoRoutes: Sendable {
    let served: ServedModel
    let metrics: ServerMetrics

    func models() throws -> Response {
        let model: [String: Any] = [
            "id": served.name, "object": "model", "created": served.created, "owned_by": "genrm",
            "root": served.model.path, "max_model_len": served.configuration.maxModelLength,
        ]
        let list: [String: Any] = ["object": "list", "data": [model]]
        return Self.json(try JSONSerialization.data(withJSONObject: list, options: [.sortedKeys, .withoutEscapingSlashes]))
    }

    func health() -> Response {
        Response(status: served.scheduler.isAccepting ? .ok : .serviceUnavailable)
    }

    func prometheus() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        let text = metrics.exposition(stats: served.scheduler.stats)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// docs/openapi.json, compiled into the program.
    func openAPI() -> Response {
        Self.json(Data(EmbeddedOpenAPI.text.utf8))
    }

    static func json(_ data: Data) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
