import NIOConcurrencyHelpers

/// One connection's "the client has gone": set once, when the client's side of the connection
/// closes or the connection goes away; whoever waits for it is woken then.
final class ClientHangUp: Sendable {
    private struct State {
        var hungUp = false
        var waiters: [Int: AsyncStream<Never>.Continuation] = [:]
        var nextWaiter = 0
    }

    private let state = NIOLockedValueBox(State())

    func signal() {
        let waiters = state.withLockedValue { state -> [AsyncStream<Never>.Continuation] in
            guard !state.hungUp else { return [] }
            state.hungUp = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.finish() }
    }

    /// Returns once the client has hung up, or when the calling task is cancelled.
    func wait() async {
        let (stream, continuation) = AsyncStream<Never>.makeStream()
        let waiter: Int? = state.withLockedValue { state in
            guard !state.hungUp else { return nil }
            defer { state.nextWaiter += 1 }
            state.waiters[state.nextWaiter] = continuation
            return state.nextWaiter
        }
        guard let waiter else { return }
        defer { _ = state.withLockedValue { $0.waiters.removeValue(forKey: waiter) } }
        // Ends when `signal` finishes the stream, or at once when this task is cancelled.
        for await _ in stream {}
    }
}
