/// A coin that lands the same way for the same seed and key in every process and on every
/// platform (Swift's `Hasher` is randomised per process, so it cannot be used): FNV-1a over the
/// key's UTF-8 bytes, mixed with the seed by SplitMix64's finaliser.
public enum SeededCoin {
    /// 1 or 2: the position a response is placed at.
    public static func position(seed: UInt64, key: String) -> Int {
        mix(seed, key) & 1 == 0 ? 1 : 2
    }

    /// A 64-bit value derived from the seed and key, for per-judgment sampling seeds.
    public static func mix(_ seed: UInt64, _ key: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        var z = hash ^ (seed &* 0x9e37_79b9_7f4a_7c15)
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
