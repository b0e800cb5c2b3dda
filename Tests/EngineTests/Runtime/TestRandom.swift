@testable import Engine

/// Deterministic random inputs for tests, from genrm's own PRNG.
struct TestRandom {
    var source: RandomSource

    init(seed: UInt64) { source = RandomSource(seed: seed) }

    /// Uniform in [-scale, scale).
    mutating func float(scale: Float = 1) -> Float {
        Float(source.nextUnit() * 2 - 1) * scale
    }

    mutating func floats(_ count: Int, scale: Float = 1) -> [Float] {
        (0..<count).map { _ in float(scale: scale) }
    }

    mutating func int(below bound: Int) -> Int {
        Int(source.next() % UInt64(bound))
    }
}

/// Largest absolute elementwise difference.
func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}
