extension JudgeRequest {
    /// A key equal for the two orders of one pair: the conversation and the set of responses,
    /// hashed (FNV-1a, 64 bits) so it is stable across runs and processes. A pool of servers sends
    /// work with one key to one server, whose prefix cache then holds the shared prompt.
    public var affinityKey: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ text: String) {
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            // A separator that cannot occur in UTF-8, so ("ab", "c") and ("a", "bc") differ.
            hash ^= 0xff
            hash = hash &* 0x100_0000_01b3
        }
        mix(system ?? "")
        for turn in history { mix(turn.speaker.rawValue + ":" + turn.content) }
        for response in responses.sorted() { mix(response) }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
