extension ThreadPool {
    /// Runs `body` over consecutive ranges that cover `0..<count`, one per thread at most, each
    /// at least `minimumChunk` long and starting at a multiple of `alignment`: row-wise and
    /// element-wise steps of a prefill (norms, activations, residual adds) spread over the pool
    /// instead of running on the calling thread while the others wait. Work too small to split
    /// runs on the calling thread. Every element goes through the same code either way.
    public func parallelChunks(_ count: Int, minimumChunk: Int, alignment: Int = 1, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = min(threadCount, count / max(1, minimumChunk))
        guard chunks > 1 else { return body(0..<count) }
        let size = ((count + chunks - 1) / chunks + alignment - 1) / alignment * alignment
        parallelFor(chunks) { chunk in
            let start = chunk * size
            if start < count { body(start..<min(count, start + size)) }
        }
    }
}
