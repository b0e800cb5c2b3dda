import Foundation
import Testing
@testable import Engine
import Formats

/// Prints (never asserts) matmul speed at SmolLM2 shapes: single-thread times are CPU time of
/// the calling thread (`CLOCK_THREAD_CPUTIME_ID`), which a shared, loaded machine disturbs far
/// less than wall-clock time; two-thread times are wall-clock and only mean something on an
/// idle machine. Each line also times the portable kernels (the platform kernels' twins).
/// Run with `bench/kernels.sh` (GENRM_KERNEL_BENCH=1); skipped otherwise.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["GENRM_KERNEL_BENCH"] == "1"))
struct MatMulBenchmarkTests {
    static func now(_ clock: clockid_t) -> Double {
        var time = timespec()
        clock_gettime(clock, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Best of 5 runs of `repeats` calls, seconds per call, on `clock`.
    static func time(repeats: Int, clock: clockid_t = CLOCK_THREAD_CPUTIME_ID, _ body: () -> Void) -> Double {
        body()
        return (0..<5).map { _ in
            let start = now(clock)
            for _ in 0..<repeats { body() }
            return (now(clock) - start) / Double(repeats)
        }.min() ?? 0
    }

    static let one = ThreadPool(threadCount: 1)
    static let two = ThreadPool(threadCount: 2)

    @Test func matmulAtSmolLM2Shapes() throws {
        var random = KernelRandom(seed: 1)
        print("single thread, CPU time; 'portable' = the portable twin kernels")
        // SmolLM2-135M shapes for its types, and a Qwen2.5-0.5B ffn_down shape for the K-quants.
        let cases: [(GGMLType, [(Int, Int)])] = [
            (.q4_1, [(1536, 576), (576, 1536), (576, 576), (192, 576), (49152, 576)]),
            (.q8_0, [(1536, 576), (576, 576), (49152, 576)]),
            (.q4_K, [(896, 4864)]), (.q5_K, [(896, 4864)]), (.q6_K, [(896, 4864)]),
        ]
        for (type, shapes) in cases {
            for (rows, cols) in shapes {
                let data = random.blocks(type, count: rows * cols / type.blockSize, scale: 0.01)
                let matrix = try WeightMatrix(type: type, rows: rows, cols: cols, data: data)
                let x = random.floats(cols)
                var y = [Float](repeating: 0, count: rows)
                let repeats = max(3, 20_000_000 / (rows * cols))
                let (fast, portable) = x.withUnsafeBufferPointer { xp in
                    y.withUnsafeMutableBufferPointer { yp in
                        (Self.time(repeats: repeats) { matrix.matmul(xp.baseAddress!, batch: 1, into: yp.baseAddress!, pool: Self.one) },
                         Self.time(repeats: repeats) {
                             matrix.matmulPortable(xp.baseAddress!, batch: 1, into: yp.baseAddress!, pool: Self.one)
                         })
                    }
                }
                let bytes = Double(rows * matrix.rowByteCount)
                print(String(format: "  %@ %5d x %4d (out x in): %8.1f us  %5.1f GB/s  %6.1f GFLOP/s   portable %8.1f us (x%.1f)",
                             type.name, rows, cols, fast * 1e6, bytes / fast / 1e9, 2 * Double(rows * cols) / fast / 1e9,
                             portable * 1e6, portable / fast))
            }
        }
        let batch = 512
        for (rows, cols) in [(1536, 576), (576, 1536)] {
            let matrix = try WeightMatrix(type: .q4_1, rows: rows, cols: cols, data: random.blocks(.q4_1, count: rows * cols / 32))
            let x = random.floats(batch * cols)
            var y = [Float](repeating: 0, count: batch * rows)
            let (fast, portable) = x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    (Self.time(repeats: 1) { matrix.matmul(xp.baseAddress!, batch: batch, into: yp.baseAddress!, pool: Self.one) },
                     Self.time(repeats: 1) {
                         matrix.matmulPortable(xp.baseAddress!, batch: batch, into: yp.baseAddress!, pool: Self.one)
                     })
                }
            }
            let flops = 2 * Double(rows * cols * batch)
            print(String(format: "  Q4_1 %d x %d batch %d (prefill): %.2f ms  %.1f GFLOP/s   portable %.2f ms (x%.1f)",
                         rows, cols, batch, fast * 1e3, flops / fast / 1e9, portable * 1e3, portable / fast))
        }
    }

    /// Every weight matrix SmolLM2 reads per generated token (30 layers of q, k, v, o, gate, up,
    /// down, and the tied Q8_0 output), timed as one pass from memory: an upper bound on decode speed.
    @Test(.enabled(if: KernelFixtures.cachedModel(KernelFixtures.smolLM2) != nil, "needs the SmolLM2 asset"))
    func smolLM2MatmulOnlyDecodeRate() throws {
        let file = try GGUFFile(path: try #require(KernelFixtures.cachedModel(KernelFixtures.smolLM2)))
        var matrices: [WeightMatrix] = []
        for layer in 0..<30 {
            for part in ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"] {
                matrices.append(try WeightMatrix(file: file, name: "blk.\(layer).\(part).weight"))
            }
        }
        matrices.append(try WeightMatrix(file: file, name: "token_embd.weight"))
        let megabytes = Double(matrices.reduce(0) { $0 + $1.rows * $1.rowByteCount }) / 1e6
        var random = KernelRandom(seed: 2)
        let x = random.floats(1536)
        var y = [Float](repeating: 0, count: 49152)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                let (input, output) = (xp.baseAddress!, yp.baseAddress!)
                func pass(_ pool: ThreadPool) {
                    for m in matrices { m.matmul(input, batch: 1, into: output, pool: pool) }
                }
                let cpu = Self.time(repeats: 5) { pass(Self.one) }
                let portable = Self.time(repeats: 2) {
                    for m in matrices { m.matmulPortable(input, batch: 1, into: output, pool: Self.one) }
                }
                print(String(format: "SmolLM2 matmuls per token, 1 thread CPU time: %.2f ms (%.0f tokens/s, %.1f GB/s over %.1f MB); portable %.2f ms",
                             cpu * 1e3, 1 / cpu, megabytes / 1e3 / cpu, megabytes, portable * 1e3))
                let wall1 = Self.time(repeats: 5, clock: CLOCK_MONOTONIC) { pass(Self.one) }
                let wall2 = Self.time(repeats: 5, clock: CLOCK_MONOTONIC) { pass(Self.two) }
                print(String(format: "SmolLM2 matmuls per token, wall clock: 1 thread %.2f ms, 2 threads %.2f ms (x%.2f)",
                             wall1 * 1e3, wall2 * 1e3, wall1 / wall2))
            }
        }
    }
}
