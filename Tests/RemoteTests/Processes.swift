import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Real server processes for the remote-backend tests: `genrm serve` on the embedded default,
/// llama.cpp's OpenAI-compatible server (`python -m llama_cpp.server`), and the fault-injecting
/// proxy. Each is a child process on a loopback port, stopped when its handle goes away (Swift
/// may end a handle's life after its last use: hold it with `withExtendedLifetime` while only
/// its URL is in use).
final class ServerProcess: @unchecked Sendable {
    // @unchecked: `process` is only touched through its thread-safe Foundation API.
    let process: Process
    let port: Int
    let name: String
    /// The proxy's control port (fault_proxy.py only).
    let controlPort: Int?
    private let log: URL

    var baseURL: String { "http://127.0.0.1:\(port)/v1" }
    var pid: Int32 { process.processIdentifier }

    private init(process: Process, port: Int, name: String, controlPort: Int?, log: URL) {
        self.process = process
        self.port = port
        self.name = name
        self.controlPort = controlPort
        self.log = log
    }

    deinit { stop() }

    /// SIGKILL, as a crashed server.
    func kill() {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
    }

    /// SIGTERM, then SIGKILL if it is still there after 5 s. Never blocks the caller (deinit may
    /// run on one of the few cooperative threads): the wait is on a thread of its own.
    func stop() {
        guard process.isRunning else { return }
        let process = process
        process.terminate()
        Thread {
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning, Date() < deadline { usleep(20_000) }
            if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        }.start()
    }

    /// What the process wrote on stderr so far (for failure messages).
    var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    // MARK: Starting

    /// `genrm serve` on the embedded default, small judging budgets, one engine thread.
    static func genrm(_ extra: [String] = []) async throws -> ServerProcess {
        let arguments = ["serve", "--host", "127.0.0.1", "--port", "0", "--threads", "1", "--reasoning-tokens", "6",
                         "--analysis-tokens", "6", "--served-model-name", RemoteFiles.servedName] + extra
        return try await start(executable: try RemoteFiles.genrm(), arguments: arguments, name: "genrm serve") { line in
            guard let range = line.range(of: "at http://127.0.0.1:") else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber }).map { ($0, nil) }
        }
    }

    /// `genrm serve --backend ...`: a gateway.
    static func gateway(backends: [String], _ extra: [String] = []) async throws -> ServerProcess {
        let arguments = ["serve", "--host", "127.0.0.1", "--port", "0", "--backend-wait", "60"]
            + backends.flatMap { ["--backend", $0] } + extra
        return try await start(executable: try RemoteFiles.genrm(), arguments: arguments, name: "genrm gateway") { line in
            guard let range = line.range(of: "at http://127.0.0.1:") else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber }).map { ($0, nil) }
        }
    }

    /// The fault proxy in front of `target` (a port), with an initial fault schedule.
    static func proxy(target: Int, faults: [String] = []) async throws -> ServerProcess {
        let script = try RemoteFiles.fixture("fault_proxy.py").path
        let arguments = [script, "--target", "127.0.0.1:\(target)", "--parent-pid", String(getpid())] + faults.flatMap { ["--fault", $0] }
        let python = TestPython.process(arguments)
        return try await start(executable: python.executable, arguments: python.arguments, name: "fault proxy", readsStdout: true) { line in
            let parts = line.split(separator: " ")
            guard parts.count == 3, parts[0] == "LISTENING", let port = Int(parts[1]), let control = Int(parts[2]) else { return nil }
            return (port, control)
        }
    }

    /// llama.cpp's OpenAI-compatible server on the embedded default's GGUF.
    static func llamaCpp() async throws -> ServerProcess {
        let port = try freePort()
        let python = TestPython.process(["-m", "llama_cpp.server", "--model", try RemoteFiles.defaultModel(), "--host", "127.0.0.1",
                         "--port", String(port), "--n_ctx", "4096", "--n_threads", "1", "--model_alias", RemoteFiles.servedName])
        let (process, _, log) = try launch(executable: python.executable, arguments: python.arguments, watchesStdout: nil)
        let server = ServerProcess(process: process, port: port, name: "llama.cpp server", controlPort: nil, log: log)
        // It prints no port line of its own: wait until it answers.
        let deadline = ContinuousClock.now + .seconds(180)
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw ProcessError("llama.cpp server exited: \(server.logText)") }
            if let reply = try? await RemoteHTTP.get("http://127.0.0.1:\(port)/v1/models"), reply.status == 200 { return server }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw ProcessError("llama.cpp server did not answer within 180 s: \(server.logText)")
    }

    /// Runs the program with its output in a log file; the stream named by `watchesStdout`
    /// (true: stdout, false: stderr, nil: neither) is returned for reading instead.
    private static func launch(executable: URL, arguments: [String], watchesStdout: Bool?) throws -> (Process, Pipe?, URL) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("genrm-remote-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = RemoteFiles.repositoryRoot
        let watched = watchesStdout.map { _ in Pipe() }
        process.standardOutput = watchesStdout == true ? watched : (watchesStdout == nil ? handle : FileHandle.nullDevice)
        process.standardError = watchesStdout == false ? watched : handle
        try process.run()
        try watchdog(process.processIdentifier)
        return (process, watched, log)
    }

    /// A test run ends with `exit`, so handles held in statics (shared servers) never stop
    /// their process: a small shell watches this test process and stops the child once it is
    /// gone, so no server outlives the run (nor holds a CI job open).
    private static func watchdog(_ child: Int32) throws {
        let watcher = Process()
        watcher.executableURL = URL(fileURLWithPath: "/bin/sh")
        watcher.arguments = ["-c", """
            while kill -0 \(getpid()) 2>/dev/null && kill -0 \(child) 2>/dev/null; do sleep 1; done
            kill -TERM \(child) 2>/dev/null; sleep 5; kill -KILL \(child) 2>/dev/null; exit 0
            """]
        watcher.standardInput = FileHandle.nullDevice
        watcher.standardOutput = FileHandle.nullDevice
        watcher.standardError = FileHandle.nullDevice
        try watcher.run()
    }

    /// Starts a process and waits for `parse` to find its port in a line of its output.
    private static func start(
        executable: URL, arguments: [String], name: String, readsStdout: Bool = false,
        parse: @escaping @Sendable (String) -> (Int, Int?)?
    ) async throws -> ServerProcess {
        let (process, pipe, log) = try launch(executable: executable, arguments: arguments, watchesStdout: readsStdout)
        let watched = pipe!
        let handle = try FileHandle(forWritingTo: log)
        let found: (Int, Int?)? = try await onThread {
            // Lines until the port appears; everything is copied to the log.
            var buffer = Data()
            while true {
                let chunk = watched.fileHandleForReading.availableData
                if chunk.isEmpty { return nil }
                handle.seekToEndOfFile()
                handle.write(chunk)
                buffer += chunk
                while let newline = buffer.firstIndex(of: 10) {
                    let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                    buffer = Data(buffer[(newline + 1)...])
                    if let found = parse(line) {
                        // Keep draining so the child never blocks on a full pipe.
                        Thread {
                            while case let more = watched.fileHandleForReading.availableData, !more.isEmpty {
                                handle.seekToEndOfFile()
                                handle.write(more)
                            }
                        }.start()
                        return found
                    }
                }
            }
        }
        guard let (port, control) = found else {
            process.waitUntilExit()
            throw ProcessError("\(name) exited before reporting its port: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        }
        return ServerProcess(process: process, port: port, name: name, controlPort: control, log: log)
    }

    /// A port nothing listens on right now.
    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw ProcessError("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct ProcessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs blocking work on a fresh thread, never on the cooperative pool.
func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
