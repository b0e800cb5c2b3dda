/// Which backend takes the next request: the healthy backend with the fewest in flight, except
/// that work sharing an affinity key (the votes and both orders of one pair) prefers one backend
/// (rendezvous hashing over the candidates, so a key keeps its backend while the pool changes
/// little) unless that one is busier than the least busy by more than 2x + 8. When no backend is
/// healthy, the ones marked down are tried as a last resort (as nginx does with its upstreams):
/// a backend that refused one connection may take the next, and a dead one fails fast.
enum BackendRouting {
    /// `states` indices that may take a request: with a model, healthy (else all such), below capacity.
    static func candidates(_ states: [BackendState], maxInflight: Int) -> [Int] {
        let usable = states.indices.filter { states[$0].model != nil }
        let healthy = usable.filter { states[$0].healthy }
        return (healthy.isEmpty ? usable : healthy).filter { states[$0].inFlight < maxInflight }
    }

    /// The chosen index, or nil when no candidate. `avoid` (backends that already failed this
    /// request) is honoured while another candidate remains; `turn` breaks ties in rotation.
    static func choose(_ states: [BackendState], maxInflight: Int, affinity: String?, avoid: Set<Int>, turn: Int) -> Int? {
        let all = candidates(states, maxInflight: maxInflight)
        let fresh = all.filter { !avoid.contains($0) }
        let pool = fresh.isEmpty ? all : fresh
        guard !pool.isEmpty else { return nil }
        let least = pool.map { states[$0].inFlight }.min()!
        if let affinity {
            let preferred = pool.max { score(affinity, states[$0].endpoint.baseURL) < score(affinity, states[$1].endpoint.baseURL) }!
            if states[preferred].inFlight <= 2 * least + 8 { return preferred }
        }
        let idlest = pool.filter { states[$0].inFlight == least }
        return idlest[turn % idlest.count]
    }

    /// Rendezvous weight of (key, backend): FNV-1a over both, then a 64-bit finaliser.
    static func score(_ key: String, _ backend: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 + [0] + backend.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        hash ^= hash >> 33
        hash = hash &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash
    }
}
