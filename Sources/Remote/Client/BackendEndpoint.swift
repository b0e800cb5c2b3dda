import Foundation

/// One OpenAI-compatible server: its API base (`http://host:8000/v1`) and the root its `/health`
/// lives under (`http://host:8000`), as vLLM, llama.cpp's server and `genrm serve` lay them out.
public struct BackendEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// The API base without a trailing slash; `/chat/completions`, `/models`, ... are appended.
    public let baseURL: String
    /// Scheme, host and port: where `/health` is asked.
    public let root: String

    /// Accepts `http(s)://host[:port][/path]`; an empty path means `/v1`.
    public init(_ text: String) throws(BackendConfigurationError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
              ["http", "https"].contains(scheme), let host = components.host, !host.isEmpty else {
            throw .badURL(text, "expected an OpenAI-compatible base such as http://127.0.0.1:8000/v1")
        }
        guard components.query == nil, components.fragment == nil else {
            throw .badURL(text, "a backend URL has no query or fragment")
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let root = "\(scheme)://\(hostPart)" + (components.port.map { ":\($0)" } ?? "")
        var path = components.path
        while path.hasSuffix("/") { path.removeLast() }
        self.root = root
        baseURL = root + (path.isEmpty ? "/v1" : path)
    }

    public var description: String { baseURL }

    /// `baseURL` + `path` (`/chat/completions`).
    public func url(_ path: String) -> String { baseURL + path }
}

/// A backend setting that cannot work, found before anything is sent.
public enum BackendConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    case badURL(String, String)
    case noBackends
    case outOfRange(option: String, value: String, rule: String)

    public var description: String {
        switch self {
        case .badURL(let url, let why): "backend URL \"\(url)\" is not usable: \(why)"
        case .noBackends: "no backend given"
        case .outOfRange(let option, let value, let rule): "\(option) = \(value) is out of range: \(rule)"
        }
    }
}
