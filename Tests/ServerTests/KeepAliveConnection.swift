import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One raw TCP connection read response by response, so tests can see what a server does with
/// keep-alive and pipelined requests: each answer is framed by its own Content-Length or chunks,
/// and "closed" (end of stream) is told apart from "silent" (nothing within the read timeout).
final class KeepAliveConnection: @unchecked Sendable {
    // @unchecked: used from one thread at a time by the test that owns it.
    let connection: LoopbackHTTP.Connection
    private var pending = Data()

    /// What the next read found.
    enum Next: Equatable {
        case bytes
        case closed
        case silent
    }

    /// A response may take `readTimeout` seconds (generous: the test machine is shared).
    init(port: Int, readTimeout: Double = 120) throws {
        connection = try LoopbackHTTP.Connection(port: port)
        self.readTimeout = readTimeout
        setReadTimeout(readTimeout)
    }

    private let readTimeout: Double

    private func setReadTimeout(_ seconds: Double) {
        var timeout = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        setsockopt(connection.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { connection.close() }

    func write(_ text: String) throws { try connection.write(Data(text.utf8)) }

    /// The next whole response; throws if the connection closes or stays silent first.
    func response() throws -> LoopbackHTTP.Reply {
        while true {
            if let (reply, used) = try Self.whole(pending) {
                pending.removeFirst(used)
                return reply
            }
            switch read() {
            case .bytes: continue
            case .closed: throw LoopbackHTTP.LoopbackError("closed after \(pending.count) bytes of a response: \(String(decoding: pending, as: UTF8.self))")
            case .silent: throw LoopbackHTTP.LoopbackError("silent after \(pending.count) bytes of a response: \(String(decoding: pending, as: UTF8.self))")
            }
        }
    }

    /// What the server does within `seconds` after a response: close the connection, say
    /// nothing, or send more (kept for `response()`).
    func next(within seconds: Double) -> Next {
        setReadTimeout(seconds)
        defer { setReadTimeout(readTimeout) }
        return read()
    }

    private func read() -> Next {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { recv(connection.fd, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            pending += buffer[0..<count]
            return .bytes
        }
        if count < 0, errno == EAGAIN || errno == EWOULDBLOCK { return .silent }
        return .closed
    }

    /// A complete response at the start of `data`, and how many bytes it took.
    static func whole(_ data: Data) throws -> (LoopbackHTTP.Reply, Int)? {
        guard let split = data.range(of: Data("\r\n\r\n".utf8)) else { return nil }
        let head = try LoopbackHTTP.parse(Data(data[..<split.upperBound]))
        let bodyStart = split.upperBound
        if head.headers["transfer-encoding"] == "chunked" {
            guard let end = data.range(of: Data("\r\n0\r\n\r\n".utf8), in: bodyStart..<data.endIndex)
                ?? (data[bodyStart...].starts(with: Data("0\r\n\r\n".utf8)) ? bodyStart..<(bodyStart + 5) : nil)
            else { return nil }
            let used = end.upperBound - data.startIndex
            return (try LoopbackHTTP.parse(Data(data[..<end.upperBound])), used)
        }
        let length = Int(head.headers["content-length"] ?? "0") ?? 0
        guard data.endIndex - bodyStart >= length else { return nil }
        let end = bodyStart + length
        return (try LoopbackHTTP.parse(Data(data[..<end])), end - data.startIndex)
    }

    /// Runs `work` on its own thread with a fresh connection to `port`.
    static func exchange<T: Sendable>(port: Int, _ work: @escaping @Sendable (KeepAliveConnection) throws -> T) async throws -> T {
        try await LoopbackHTTP.onThread { try work(try KeepAliveConnection(port: port)) }
    }
}

/// Raw request text for the keep-alive tests (no `Connection: close`).
enum RawRequests {
    static func post(_ path: String, json: [String: Any]) throws -> String {
        let body = String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self)
        return "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    static let health = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
}
