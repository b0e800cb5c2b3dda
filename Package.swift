// swift-tools-version: 6.1
//
// genrm: generative reward models in Swift.
// Modules, each depending only on those named before it (arrows point at what is used):
//   JSON (one parser and typed field reader, Foundation only) · GenRM (the protocol) -> JSON ·
//   Formats (model files) -> JSON · Tokenizers -> Formats · ChatTemplates -> JSON · Catalog (known models, fetching; swift-crypto) ·
//   CPUKernels (C: kernels whose instruction set is chosen at run time) ·
//   Engine -> JSON, GenRM, Formats, Tokenizers, ChatTemplates, CPUKernels · Eval -> JSON, GenRM (gzip by compress-nio) ·
//   Remote -> GenRM (AsyncHTTPClient) · Server -> JSON, GenRM, Engine, Tokenizers, ChatTemplates, Remote ·
//   genrm (GenRMCLI) -> all of them.
import PackageDescription

/// Every target: Swift 6 language mode (the tools version's default: strict concurrency) and
/// `any` spelled out on existentials.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

/// The engine's kernels use portable SIMD types; on x86-64 they need AVX2/FMA/F16C code generation
/// (the SSE2 baseline runs the Q4_1 matvec 3.7x slower and turns every SIMD fused multiply-add into
/// a libm call), so the Engine target is compiled for Haswell-class CPUs (any x86-64-v3 CPU).
#if arch(x86_64)
let engineCPU: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"], .when(platforms: [.linux]))]
#else
let engineCPU: [SwiftSetting] = []
#endif

let package = Package(
    name: "genrm",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "genrm", targets: ["GenRMCLI"]),
        .executable(name: "genrm-fuzz", targets: ["GenRMFuzz"]),
        .library(name: "GenRM", targets: ["GenRM"]),
        .library(name: "Engine", targets: ["Engine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.24.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
    ],
    targets: [
        // JSON text to an order-keeping value tree, and typed field reads whose errors name the
        // field: request bodies, data-file records and results lines all read through it.
        .target(name: "JSON", swiftSettings: strict),
        // The GenRM protocol: requests, judging prompt, output parser, verdicts, voting,
        // position swap, pairwise rewards, the judge and its backend seam. Foundation and JSON only.
        .target(
            name: "GenRM",
            dependencies: ["JSON"],
            // The prompt is compiled in (Generated/, by scripts/embed_resources.py): no bundle to ship.
            exclude: ["Resources/judge-prompt.txt"],
            swiftSettings: strict
        ),
        // Model file formats: GGUF and safetensors (single or sharded), memory-mapped and validated.
        .target(name: "Formats", dependencies: ["JSON"], swiftSettings: strict),
        // Byte-level BPE tokenizers from GGUF metadata or HF tokenizer.json.
        .target(name: "Tokenizers", dependencies: ["Formats"], swiftSettings: strict),
        // Jinja chat templates rendered exactly as Python transformers renders them. Foundation and JSON only.
        .target(name: "ChatTemplates", dependencies: ["JSON"], swiftSettings: strict),
        // The models genrm knows and their fetching from PyPI wheels into the cache.
        .target(name: "Catalog", dependencies: [.product(name: "Crypto", package: "swift-crypto")], swiftSettings: strict),
        // The engine's kernels that exist per instruction set (AVX2, AVX-512 VNNI), picked at run
        // time: C, because a Swift function cannot carry its own target attribute. Built at the
        // default baseline; each kernel names its instruction set (no unsafe flags). Also the load
        // quantizer (`--quantize`), portable C that the compiler vectorises.
        .target(name: "CPUKernels"),
        // CPU inference: tensor types, kernels, architectures, runtime, the batch scheduler,
        // structured judging.
        .target(
            name: "Engine",
            dependencies: ["JSON", "GenRM", "Formats", "Tokenizers", "ChatTemplates", "CPUKernels"],
            swiftSettings: strict + engineCPU
        ),
        // `bench/engine`'s timing entry: prefill / decode tokens per second of the engine alone.
        .executableTarget(name: "EngineBench", dependencies: ["Engine"], swiftSettings: strict),
        // The parsers' fuzz targets: libFuzzer with -sanitize=fuzzer -D GENRM_FUZZ (scripts/fuzz.sh),
        // a corpus replay otherwise.
        .executableTarget(
            name: "GenRMFuzz", dependencies: ["ChatTemplates", "Eval", "Formats", "GenRM", "JSON"], swiftSettings: strict
        ),
        // Benchmarks (RM-Bench, JudgeBench, HelpSteer3): loaders, resumable results, official
        // scoring, reports, a runner over any judge backend.
        .target(
            name: "Eval",
            dependencies: [
                "JSON", "GenRM", .product(name: "CompressNIO", package: "compress-nio"), .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // Remote judge backends: a pool of OpenAI-compatible servers (vLLM, llama.cpp, genrm serve)
        // with routing, health checks, retries and failover, and the logprob score read-out.
        .target(
            name: "Remote",
            dependencies: [
                "GenRM",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // `genrm serve`: the OpenAI-compatible judging server (Hummingbird) over the engine's scheduler.
        .target(
            name: "Server",
            dependencies: [
                "JSON", "GenRM", "Engine", "Tokenizers", "ChatTemplates", "Remote",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "GenRMCLI",
            dependencies: [
                "JSON", "GenRM", "Engine", "Tokenizers", "Formats", "ChatTemplates", "Eval", "Server", "Remote", "Catalog",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // What several test targets share (finding the test venv's Python).
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "JSONTests", dependencies: ["JSON"], swiftSettings: strict),
        .testTarget(
            name: "GenRMTests",
            dependencies: ["GenRM", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based")],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ChatTemplatesTests",
            dependencies: ["ChatTemplates"],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "EvalTests", dependencies: ["Eval", "GenRM"], resources: [.copy("Fixtures")], swiftSettings: strict
        ),
        .testTarget(
            name: "FormatsTests", dependencies: ["Formats", "JSON"], resources: [.copy("Fixtures")], swiftSettings: strict
        ),
        .testTarget(
            name: "TokenizersTests",
            dependencies: ["Tokenizers", "Formats"],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: ["Server", "Engine", "GenRM", "Catalog", "TestSupport", .product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RemoteTests",
            dependencies: [
                "Remote", "GenRM", "TestSupport", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog"], swiftSettings: strict),
        .testTarget(
            name: "EngineTests",
            dependencies: ["Engine", "Formats", "Tokenizers", "GenRM", "Catalog", "TestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
    ]
)
