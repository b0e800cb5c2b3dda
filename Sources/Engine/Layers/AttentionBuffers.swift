/// Scratch of the attention layers of one forward pass, grown on demand and reused by every
/// layer (fresh allocations per layer would fault in new pages each time).
final class AttentionBuffers {
    private var widenedSpace = GrowableFloats()
    private var scratchSpace = GrowableFloats()

    func widened(_ count: Int) -> UnsafeMutablePointer<Float> { widenedSpace.reserve(count) }
    func scratch(_ count: Int) -> UnsafeMutablePointer<Float> { scratchSpace.reserve(count) }

    deinit {
        widenedSpace.deallocate()
        scratchSpace.deallocate()
    }
}

/// A float buffer that only grows; contents are not kept across growth.
struct GrowableFloats {
    private var base: UnsafeMutablePointer<Float>?
    private var capacity = 0

    mutating func reserve(_ count: Int) -> UnsafeMutablePointer<Float> {
        if let base, capacity >= max(count, 1) { return base }
        base?.deallocate()
        capacity = max(count, 1)
        let fresh = UnsafeMutablePointer<Float>.allocate(capacity: capacity)
        base = fresh
        return fresh
    }

    func deallocate() { base?.deallocate() }
}
