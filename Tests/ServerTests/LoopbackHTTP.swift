import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client over a loopback TCP socket, so tests talk real HTTP to the real
/// server and can also hang up mid-response. Blocking socket calls run on their own threads,
/// never on the Swift cooperative pool (which the server's handlers need).
enum LoopbackHTTP {
    struct Reply: Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data

        var text: String { String(decoding: body, as: UTF8.self) }

        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw LoopbackError("body is not a JSON object: \(text)")
            }
            return object
        }

        /// The `data:` payloads of a server-sent event stream, in order.
        var events: [String] {
            text.components(separatedBy: "\n\n").compactMap { block in
                block.hasPrefix("data: ") ? String(block.dropFirst(6)) : nil
            }
        }
    }

    struct LoopbackError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func request(
        port: Int, method: String = "GET", path: String, headers: [String: String] = [:], body: Data? = nil
    ) async throws -> Reply {
        try await onThread {
            let connection = try Connection(port: port)
            defer { connection.close() }
            try connection.send(method: method, path: path, headers: headers, body: body)
            return try parse(connection.readToEnd())
        }
    }

    static func post(port: Int, path: String, json: [String: Any], headers: [String: String] = [:]) async throws -> Reply {
        try await request(port: port, method: "POST", path: path, headers: headers.merging(["Content-Type": "application/json"]) { $1 },
                          body: try JSONSerialization.data(withJSONObject: json))
    }

    static func post(port: Int, path: String, raw: String) async throws -> Reply {
        try await request(port: port, method: "POST", path: path, headers: ["Content-Type": "application/json"], body: Data(raw.utf8))
    }

    /// Runs blocking work on a fresh thread.
    static func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    static func parse(_ raw: Data) throws -> Reply {
        guard let split = raw.range(of: Data("\r\n\r\n".utf8)) else { throw LoopbackError("no header end in \(raw.count) bytes") }
        let head = String(decoding: raw[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        guard let statusLine = head.first, let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else {
            throw LoopbackError("bad status line")
        }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Data(raw[split.upperBound...])
        if headers["transfer-encoding"] == "chunked" { body = try dechunk(body) }
        return Reply(status: status, headers: headers, body: body)
    }

    static func dechunk(_ data: Data) throws -> Data {
        var out = Data()
        var rest = data[...]
        while let lineEnd = rest.range(of: Data("\r\n".utf8)) {
            let sizeText = String(decoding: rest[..<lineEnd.lowerBound], as: UTF8.self)
            guard let size = Int(sizeText.split(separator: ";").first ?? "", radix: 16) else { throw LoopbackError("bad chunk size \(sizeText)") }
            if size == 0 { break }
            let start = lineEnd.upperBound
            guard rest.distance(from: start, to: rest.endIndex) >= size else { break }
            let end = rest.index(start, offsetBy: size)
            out += rest[start..<end]
            rest = rest[rest.index(end, offsetBy: min(2, rest.distance(from: end, to: rest.endIndex)))...]
        }
        return out
    }

    /// One TCP connection to 127.0.0.1.
    final class Connection: @unchecked Sendable {
        // @unchecked: used from one thread at a time by the test that owns it.
        let fd: Int32

        init(port: Int) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw LoopbackError("socket() failed") }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard result == 0 else {
                Glibc.close(fd)
                throw LoopbackError("cannot connect to port \(port)")
            }
        }

        func send(method: String, path: String, headers: [String: String], body: Data?) throws {
            var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            head += "Content-Length: \(body?.count ?? 0)\r\n\r\n"
            try write(Data(head.utf8) + (body ?? Data()))
        }

        func write(_ data: Data) throws {
            var offset = 0
            while offset < data.count {
                let sent = data[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard sent > 0 else { throw LoopbackError("send failed") }
                offset += sent
            }
        }

        /// Reads whatever arrives next (at least one byte), or empty at end of stream.
        func readSome() -> Data {
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            return count > 0 ? Data(buffer[0..<count]) : Data()
        }

        func readToEnd() -> Data {
            var all = Data()
            while true {
                let piece = readSome()
                if piece.isEmpty { return all }
                all += piece
            }
        }

        func close() {
            Glibc.close(fd)
        }
    }
}
