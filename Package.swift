// swift-tools-version: 6.1
//
// genrm: generative reward models in Swift.
// Module order (dependencies point down): GenRM (protocol, Foundation only) <- Formats (model
// files) <- Tokenizers <- Engine (CPU inference, judging) <- genrm (CLI).
import PackageDescription

/// Numeric code is only usable in optimised builds; the engine drops bounds checks in its hot loops
/// explicitly (unsafe pointers), not through compiler flags, so debug builds stay checked.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "genrm",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "genrm", targets: ["GenRMCLI"]),
        .library(name: "GenRM", targets: ["GenRM"]),
        .library(name: "Engine", targets: ["Engine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
    ],
    targets: [
        // The GenRM protocol: requests, judging prompt, output parser, verdicts, voting,
        // position swap, pairwise rewards, the judge and its backend seam. Foundation only.
        .target(
            name: "GenRM",
            resources: [.copy("Resources/judge-prompt.txt")],
            swiftSettings: strict
        ),
        // Model file formats: GGUF (and later safetensors), memory-mapped and validated.
        .target(name: "Formats", swiftSettings: strict),
        // Byte-level BPE tokenizers from GGUF metadata or HF tokenizer.json.
        .target(name: "Tokenizers", dependencies: ["Formats"], swiftSettings: strict),
        // Jinja chat templates rendered exactly as Python transformers renders them. Foundation only.
        .target(name: "ChatTemplates", swiftSettings: strict),
        // CPU inference: tensor types, kernels, architectures, runtime, structured judging.
        .target(
            name: "Engine",
            dependencies: ["GenRM", "Formats", "Tokenizers", "ChatTemplates"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "GenRMCLI",
            dependencies: [
                "GenRM", "Engine", "Tokenizers", "Formats", "ChatTemplates",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "GenRMTests",
            dependencies: ["GenRM", .product(name: "PropertyBased", package: "swift-property-based")],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ChatTemplatesTests",
            dependencies: ["ChatTemplates"],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(name: "FormatsTests", dependencies: ["Formats"], swiftSettings: strict),
        .testTarget(
            name: "TokenizersTests",
            dependencies: ["Tokenizers", "Formats"],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "EngineTests",
            dependencies: ["Engine", "Formats", "Tokenizers", "GenRM"],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
    ]
)
