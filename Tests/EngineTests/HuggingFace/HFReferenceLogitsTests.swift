import Foundation
import Formats
import TestSupport
import Testing
@testable import Catalog
@testable import Engine

/// genrm on the tiny Hugging Face checkpoints against references that share no code with it,
/// written by `scripts/golden_hf_references.py` into `Fixtures/hf-references/`: HF transformers
/// (float32, eager attention) on the llama and qwen2 directories, and llama.cpp on the GGUF that
/// llama.cpp's own converter made of each directory (`--outtype f32`). DeciLM has no transformers
/// reference (its modelling code is remote code) and llama.cpp cannot run two of the fixture's
/// layer kinds, so llama.cpp's reference is on `decilm-llamacpp`, which
/// `scripts/make_hf_llamacpp_variant.py` makes of the fixture (that script says why), and the
/// fixture's own DeciLM (linear FFN, FFN-less attention layer) is held to
/// `scripts/hf_numpy_forward.py`, a float64 numpy forward that the golden script first holds to
/// transformers (4e-7 of the largest logit) and llama.cpp (3e-5) on every checkpoint they run.
///
/// Every weight is a float, so genrm computes on its float path (no int8 activations); what
/// remains is float32 rounding and the roundings llama.cpp shares with genrm and transformers does
/// not: F16 attention operands (keys and values cached in F16, the query and the softmax weights
/// rounded to F16 before their products with them). `bound(for:)` bounds
/// |genrm - reference| over every stored logit. Greedy decoding is teacher-forced on the
/// reference's tokens and may part from it only where the reference's two best logits are within
/// 0.5 (the near-tie rule); with every logit within the bound, an arg-max can only differ where
/// the reference's gap is under twice it, which is held too.
///
/// The fixtures' final norm is scaled (make_hf_fixtures.py's OUTPUT_NORM_SCALE, 32) so that the
/// logits run to about ±60 and most greedy steps are decided by more than 0.5: each golden must
/// have at least `decidedShare` of its steps so decided, and genrm must take the reference's
/// token at every one of them. Without the scale (logits to ±2) 1 of the 144 greedy steps of
/// llama, decilm-llamacpp and decilm was decided (qwen2: 35 of 48), and the check held little.
@Suite struct HFReferenceLogitsTests {
    /// A fraction of the golden's largest |logit| (46 for llama and decilm-llamacpp, 43 for
    /// decilm, 62 for qwen2): every rounding upstream of the scaled final norm is scaled with the
    /// logits (unscaled, the same fractions were measured, at ±2).
    /// - transformers (float32, no F16 rounding): genrm measures 3.9e-4 of it (llama, 0.0178) and
    ///   2.1e-4 (qwen2, 0.0130), as llama.cpp does against it; the float64 numpy forward is 4e-7
    ///   of it from transformers without the F16 roundings and 3e-5 from llama.cpp with them, so
    ///   they are the whole gap. Bound: twice the largest.
    /// - llama.cpp, and the numpy forward with the same F16 roundings as genrm's (cached keys and
    ///   values, the query, the softmax weights: `Kernels/Attention.swift`): genrm measures up to
    ///   2.9e-5 of it against llama.cpp and 4.7e-5 against the numpy forward (float32 sums in
    ///   another order, now and then a value rounded to F16 the other way). Bound: about three
    ///   times the largest.
    static func bound(for golden: Golden) -> Float {
        (golden.reference.hasPrefix("transformers") ? 8e-4 : 1.5e-4) * golden.largestLogit
    }

    /// The near-tie rule: genrm may part from the reference only where its top-2 gap is at most this.
    static let nearTie = 0.5

    /// Each golden's greedy steps decided by more than `nearTie`, at least (measured: 43 of 48 for
    /// llama and decilm-llamacpp, 48 for qwen2, 40 for decilm).
    static let decidedShare = 0.75

    struct Golden: Decodable {
        struct Fixture: Decodable {
            let config_fnv1a64: String
            let tensors_fnv1a64: [String: String]
        }

        struct Sequence: Decodable {
            let name: String
            let prompt_ids: [Int]
            let generated_ids: [Int]
            /// Per step: [[id, logit], [id, logit]], the reference's two best tokens.
            let top2: [[[Double]]]
            /// Positions in prompt + generated whose next-token logits `logits` holds, in order.
            let logit_positions: [Int]
            let logits: [[Float]]
        }

        /// One tensor of the converted GGUF: ggml type, dimensions (ggml order), FNV-1a 64 of its
        /// data and, for tensors of at most 32 elements, the values.
        struct GGUFTensor: Decodable {
            let type: UInt32
            let dims: [Int]
            let fnv1a64: String
            let values: [Float]?
        }

        let checkpoint: String
        let reference: String
        let fixture: Fixture
        let gguf_sha256: String?
        let gguf_tensors: [String: GGUFTensor]?
        let sequences: [Sequence]

        /// The largest |logit| of all stored rows: the scale of the logits.
        var largestLogit: Float {
            sequences.flatMap { $0.logits.joined() }.reduce(0) { max($0, abs($1)) }
        }
    }

    /// How genrm compared with one golden file.
    struct Comparison: CustomStringConvertible {
        let label: String
        let largestLogit: Float
        var maxDifference: Float = 0
        var steps = 0
        var agreeing = 0
        /// Greedy steps whose reference top-2 gap is over `nearTie`: genrm must not part there.
        var decided = 0
        /// Greedy steps where genrm's arg-max was not the reference's token, with the reference's gap.
        var partings: [(sequence: String, step: Int, gap: Double)] = []

        var description: String {
            let parted = partings.map { "\($0.sequence) step \($0.step) (gap \(String(format: "%.4f", $0.gap)))" }
            let difference = String(format: "%.3g (%.2g of the largest |logit| %.3g)", maxDifference, maxDifference / largestLogit, largestLogit)
            return "\(label): max |diff| \(difference), greedy \(agreeing)/\(steps) agree, "
                + "\(decided)/\(steps) steps decided by more than \(HFReferenceLogitsTests.nearTie)"
                + (parted.isEmpty ? "" : ", parts at " + parted.joined(separator: ", "))
        }
    }

    static func golden(_ file: String) throws -> Golden {
        let url = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/hf-references/\(file).json")
        return try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
    }

    /// `decilm-llamacpp` made once from the shared fixtures by make_hf_llamacpp_variant.py.
    private static let variant: Result<String, HFFixtures.ScriptFailure> = makeVariant()

    private static func makeVariant() -> Result<String, HFFixtures.ScriptFailure> {
        do {
            let fixtures = URL(fileURLWithPath: try HFFixtures.directory("decilm")).deletingLastPathComponent()
            let (python, arguments) = TestPython.process(
                [HFFixtures.repositoryRoot.appendingPathComponent("scripts/make_hf_llamacpp_variant.py").path, fixtures.path])
            let process = Process()
            process.executableURL = python
            process.arguments = arguments
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                return .failure(HFFixtures.ScriptFailure(description: "make_hf_llamacpp_variant.py failed: \(message)"))
            }
            return .success(fixtures.appendingPathComponent("decilm-llamacpp").path)
        } catch {
            return .failure(HFFixtures.ScriptFailure(description: "make_hf_llamacpp_variant.py: \(error)"))
        }
    }

    static func directory(_ checkpoint: String) throws -> String {
        try checkpoint == "decilm-llamacpp" ? variant.get() : HFFixtures.directory(checkpoint)
    }

    /// The golden was made from the checkpoint the scripts write now (config.json and every
    /// tensor's bytes alike); else it is stale.
    static func requireCurrent(_ golden: Golden, file: String) throws -> HFCheckpoint {
        let directory = try directory(golden.checkpoint)
        let stale = "stale golden \(file).json: the \(golden.checkpoint) checkpoint is no longer the one it was made from; rerun scripts/golden_hf_references.py"
        let config = try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent("config.json"))
        try #require(config.withUnsafeBytes { HFFixtures.fnv1a64($0) } == golden.fixture.config_fnv1a64, "\(stale) (config.json differs)")
        let checkpoint = try HFCheckpoint(directory: directory)
        let weights = try #require(checkpoint.weights)
        var hashes: [String: String] = [:]
        for tensor in weights.tensors { hashes[tensor.name] = HFFixtures.fnv1a64(try weights.bytes(of: tensor.name)) }
        let changed = Set(hashes.keys).union(golden.fixture.tensors_fnv1a64.keys)
            .filter { hashes[$0] != golden.fixture.tensors_fnv1a64[$0] }.sorted()
        try #require(changed.isEmpty, "\(stale) (tensors differ: \(changed.joined(separator: ", ")))")
        return checkpoint
    }

    /// genrm's next-token logits at every position of prompt + generated less the last: the
    /// prompt prefilled in one batch with every row's logits, then the reference's tokens fed one
    /// at a time.
    static func logits(of sequence: Golden.Sequence, model: TransformerModel) throws -> [[Float]] {
        let session = InferenceSession(model: model)
        var rows: [[Float]] = []
        try session.prefill(sequence.prompt_ids) { _, batch in rows += (0..<batch.rowCount).map { batch.row($0) } }
        for token in sequence.generated_ids.dropLast() {
            try session.append(token)
            rows.append(session.logits)
        }
        return rows
    }

    static func compare(_ golden: Golden, label: String, model: TransformerModel) throws -> Comparison {
        var result = Comparison(label: label, largestLogit: golden.largestLogit)
        for sequence in golden.sequences {
            let rows = try logits(of: sequence, model: model)
            try #require(rows.count == sequence.prompt_ids.count + sequence.generated_ids.count - 1)
            for (position, expected) in zip(sequence.logit_positions, sequence.logits) {
                try #require(rows[position].count == expected.count, "\(label) \(sequence.name): vocabulary \(rows[position].count)")
                for (mine, theirs) in zip(rows[position], expected) {
                    result.maxDifference = max(result.maxDifference, abs(mine - theirs))
                }
            }
            for (step, token) in sequence.generated_ids.enumerated() {
                let top = sequence.top2[step]
                let gap = top[0][1] - top[1][1]
                result.steps += 1
                if gap > nearTie { result.decided += 1 }
                if Sampler.argmax(rows[sequence.prompt_ids.count - 1 + step]) == token {
                    result.agreeing += 1
                } else {
                    result.partings.append((sequence.name, step, gap))
                }
            }
        }
        return result
    }

    static func check(_ result: Comparison, bound: Float) {
        print(result)
        #expect(result.maxDifference < bound, "bound \(bound): \(result)")
        #expect(Double(result.decided) >= decidedShare * Double(result.steps), "too few steps decided by more than \(nearTie): \(result)")
        #expect(result.partings.allSatisfy { $0.gap <= nearTie }, "near-tie rule: \(result)")
        #expect(result.partings.allSatisfy { $0.gap < 2 * Double(bound) }, "\(result)")
    }

    static let files = [
        "llama.transformers", "qwen2.transformers", "llama.llamacpp", "qwen2.llamacpp", "decilm-llamacpp.llamacpp",
        "decilm.numpy",
    ]

    @Test(arguments: files)
    func directoryMatchesReference(_ file: String) throws {
        let golden = try Self.golden(file)
        let checkpoint = try Self.requireCurrent(golden, file: file)
        #expect(golden.sequences.count == 3 && golden.sequences.allSatisfy { $0.generated_ids.count == 16 })
        let result = try Self.compare(golden, label: "\(file) (directory)", model: TransformerModel(checkpoint: checkpoint))
        Self.check(result, bound: Self.bound(for: golden))
    }

    /// genrm's own rendering of llama.cpp's converter (`LlamaCppConversion`, every tensor F32 as
    /// `--outtype f32` writes it) holds the very tensors the converter wrote, byte for byte, but
    /// for `rope_freqs.weight`: the converter blends llama3's factors in float32 (torch), the
    /// rendering in Double, and the blended entry lands an ulp apart (2.4422596 against
    /// 2.4422593), so that tensor is held to an ulp. genrm on that GGUF then matches llama.cpp on
    /// the converter's.
    @Test(arguments: ["llama", "qwen2", "decilm-llamacpp"])
    func convertedGGUFMatchesReference(_ name: String) throws {
        let file = "\(name).llamacpp"
        let golden = try Self.golden(file)
        _ = try Self.requireCurrent(golden, file: file)
        let expected = try #require(golden.gguf_tensors)
        let gguf = try LlamaCppConversion(directory: Self.directory(name), matrixType: .f32).gguf()
        #expect(Set(gguf.tensors.map(\.name)) == Set(expected.keys))
        for tensor in gguf.tensors {
            guard let want = expected[tensor.name] else { continue }
            #expect(tensor.type.rawValue == want.type && tensor.dimensions == want.dims, "\(name) \(tensor.name)")
            let bytes = try gguf.bytes(of: tensor)
            if HFFixtures.fnv1a64(bytes) == want.fnv1a64 { continue }
            #expect(tensor.name == "rope_freqs.weight", "\(name) \(tensor.name): bytes differ from convert_hf_to_gguf.py's")
            let wanted = try #require(want.values, "\(name) \(tensor.name)")
            let values = wanted.indices.map { bytes.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) }
            #expect(zip(values, wanted).allSatisfy { abs($0 - $1) <= $1.ulp }, "\(name) \(tensor.name): \(values) against \(wanted)")
        }
        let result = try Self.compare(golden, label: "\(file) (genrm's f32 conversion)", model: TransformerModel(file: gguf))
        Self.check(result, bound: Self.bound(for: golden))
    }

    /// The converter's own GGUF of checkpoint `name` that its `.llamacpp` golden was made from,
    /// where the golden script left it (`$GENRM_CACHE/hf-references/<name>-<first 12 hex digits of
    /// its sha256>.f32.gguf`: named by content, so worktrees on other goldens share the cache;
    /// never committed, and the tests cannot make them without torch). Nil when the golden names
    /// none.
    static func convertedByLlamaCpp(_ name: String) -> String? {
        guard let sha256 = (try? golden("\(name).llamacpp"))?.gguf_sha256 else { return nil }
        let cache = ProcessInfo.processInfo.environment["GENRM_CACHE"] ?? NSString(string: "~/.cache/genrm").expandingTildeInPath
        return cache + "/hf-references/\(name)-\(sha256.prefix(12)).f32.gguf"
    }

    static let convertedByLlamaCppPresent = ["llama", "qwen2", "decilm-llamacpp"]
        .allSatisfy { convertedByLlamaCpp($0).map { FileManager.default.fileExists(atPath: $0) } ?? false }

    @Test(.enabled(if: convertedByLlamaCppPresent, "scripts/golden_hf_references.py leaves them in $GENRM_CACHE/hf-references"),
          arguments: ["llama", "qwen2", "decilm-llamacpp"])
    func llamaCppConvertedGGUFMatchesReference(_ name: String) throws {
        let file = "\(name).llamacpp"
        let golden = try Self.golden(file)
        let path = try #require(Self.convertedByLlamaCpp(name))
        try #require(try FileDigest.sha256(of: URL(fileURLWithPath: path)) == golden.gguf_sha256,
                     "\(path) is not the GGUF \(file).json was made from: rerun scripts/golden_hf_references.py")
        let result = try Self.compare(golden, label: "\(file) (convert_hf_to_gguf.py's GGUF)", model: TransformerModel(path: path))
        Self.check(result, bound: Self.bound(for: golden))
    }
}
