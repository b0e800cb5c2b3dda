import Foundation
import Hummingbird

/// The small GET routes: `/v1/models`, `/health`, `/metrics`, `/openapi.json`.
struct InfoRoutes: Sendable {
    let serving: GenRMServer.Serving
    let configuration: ServerConfiguration
    let metrics: ServerMetrics

    func models() throws -> Response {
        var model: [String: Any] = ["id": configuration.servedModelName, "object": "model", "owned_by": "genrm"]
        switch serving {
        case .embedded(let served):
            model["created"] = served.created
            model["root"] = served.model.path
            model["max_model_len"] = configuration.maxModelLength
        case .gateway(let gateway):
            model["created"] = gateway.created
            model["root"] = gateway.pool.status.compactMap(\.model).first ?? configuration.servedModelName
        }
        let list: [String: Any] = ["object": "list", "data": [model]]
        return Self.json(try JSONSerialization.data(withJSONObject: list, options: [.sortedKeys, .withoutEscapingSlashes]))
    }

    /// 200 while the engine accepts work, or (gateway) while one backend is healthy.
    func health() -> Response {
        let up = switch serving {
        case .embedded(let served): served.scheduler.isAccepting
        case .gateway(let gateway): gateway.pool.isHealthy
        }
        return Response(status: up ? .ok : .serviceUnavailable)
    }

    func prometheus() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        let text = switch serving {
        case .embedded(let served): metrics.exposition(stats: served.scheduler.stats)
        case .gateway(let gateway): metrics.exposition(backends: gateway.pool.status)
        }
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
