import NIOCore

/// Work that stops when the client hangs up: `operation` runs while the connection's
/// ``ClientHangUpHandler`` watches for the client going away, and is cancelled if it does. The
/// request parts are left alone, so the connection stays open for the next request, pipelined
/// or not, once the response is sent.
enum HangUpCancellation {
    /// Runs `operation`, cancelled if the client on `channel` goes away first (at once if it
    /// already has).
    static func run<Value: Sendable>(on channel: any Channel, _ operation: () async throws -> Value) async throws -> Value {
        guard let hangUp = try? await channel.pipeline.handler(type: ClientHangUpHandler.self).get().hangUp else {
            throw CancellationError()  // the connection is gone: its handlers were removed
        }
        return try await withoutActuallyEscaping(operation) { operation in
            let child = ChildOperation(run: operation)
            return try await withThrowingTaskGroup(of: Outcome<Value>.self) { group in
                group.addTask { .finished(try await child.run()) }
                group.addTask {
                    await hangUp.wait()
                    return .hungUp
                }
                defer { group.cancelAll() }
                guard case .finished(let value) = try await group.next() else { throw CancellationError() }
                return value
            }
        }
    }

    private enum Outcome<Value: Sendable>: Sendable {
        case finished(Value)
        case hungUp
    }

    /// `operation` handed to a child task of the group: @unchecked because it runs there only
    /// while its caller waits for the group, never at the same time as the caller (Hummingbird's
    /// own inbound-close helper hands its operation over the same way).
    private struct ChildOperation<Value>: @unchecked Sendable {
        let run: () async throws -> Value
    }
}
