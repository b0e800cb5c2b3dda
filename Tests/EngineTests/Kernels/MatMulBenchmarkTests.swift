import Foundation
import Testing
@testable import Engine
import Formats

/// Prints (never asserts) matvec speed at SmolLM2 shapes against the memory-bandwidth bound, and
/// the matmul-only decode rate of the real model. Run with `bench/kernels.sh`
/// (GENRM_KERNEL_BENCH=1); skipped otherwise, since timings mean nothing in a loaded test run.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["GENRM_KERNEL_BENCH"] == "1"))
struct MatMulBenchmarkTests {
    static func seconds(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Best of 5 runs of `repeats` calls, per call.
    static func time(repeats: Int, _ body: () -> Void) -> Double {
        body()
        return (0..<5).map { _ in seconds { for _ in 0..<repeats { body() } } / Double(repeats) }.min() ?? 0
    }

    /// Streaming read bandwidth of `threads` threads over 256 MiB, in bytes per second.
    static func readBandwidth(pool: ThreadPool) -> Double {
        let count = 32 << 20
        let buffer = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: count / 8)
        buffer.initialize(repeating: SIMD8(repeating: 1), count: count / 8)
        defer { buffer.deallocate() }
        let chunks = 64
        let partial = UnsafeMutablePointer<Float>.allocate(capacity: chunks)
        defer { partial.deallocate() }
        let t = time(repeats: 1) {
            pool.parallelFor(chunks) { c in
                var acc = SIMD8<Float>()
                let per = count / 8 / chunks
                for i in (c * per)..<((c + 1) * per) { acc += buffer[i] }
                partial[c] = acc.sum()
            }
        }
        return Double(count * 4) / t
    }

    @Test func matvecAtSmolLM2Shapes() throws {
        var random = KernelRandom(seed: 1)
        for threads in [1, 2] {
            let pool = ThreadPool(threadCount: threads)
            let bandwidth = Self.readBandwidth(pool: pool)
            print(String(format: "threads %d: read bandwidth %.1f GB/s", threads, bandwidth / 1e9))
            for type in [GGMLType.q4_1, .q8_0] {
                for (rows, cols) in [(1536, 576), (576, 1536), (576, 576), (49152, 576)] {
                    let data = random.blocks(type, count: rows * cols / 32, scale: 0.01)
                    let matrix = try WeightMatrix(type: type, rows: rows, cols: cols, data: data)
                    let x = random.floats(cols)
                    var y = [Float](repeating: 0, count: rows)
                    let bytes = Double(rows * matrix.rowByteCount)
                    let t = x.withUnsafeBufferPointer { xp in
                        y.withUnsafeMutableBufferPointer { yp in
                            Self.time(repeats: max(3, 20_000_000 / (rows * cols))) {
                                matrix.matmul(xp.baseAddress!, batch: 1, into: yp.baseAddress!, pool: pool)
                            }
                        }
                    }
                    print(String(format: "  %@ %5d x %4d (out x in): %8.1f us  %6.1f GB/s  %6.1f GFLOP/s  bandwidth bound %7.1f us",
                                 type.name, rows, cols, t * 1e6, bytes / t / 1e9, 2 * Double(rows * cols) / t / 1e9,
                                 bytes / bandwidth * 1e6))
                }
            }
            let batch = 512
            let matrix = try WeightMatrix(type: .q4_1, rows: 1536, cols: 576, data: random.blocks(.q4_1, count: 1536 * 18))
            let x = random.floats(batch * 576)
            var y = [Float](repeating: 0, count: batch * 1536)
            let t = x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    Self.time(repeats: 2) { matrix.matmul(xp.baseAddress!, batch: batch, into: yp.baseAddress!, pool: pool) }
                }
            }
            print(String(format: "  Q4_1 1536 x 576 batch %d (prefill): %.2f ms  %.1f GFLOP/s", batch, t * 1e3,
                         2 * Double(1536 * 576 * batch) / t / 1e9))
        }
    }

    /// Every weight matrix SmolLM2 reads per generated token (30 layers of q, k, v, o, gate, up,
    /// down, and the tied Q8_0 output), timed as one pass: an upper bound on decode speed.
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
        let bytes = matrices.reduce(0) { $0 + $1.rows * $1.rowByteCount }
        var random = KernelRandom(seed: 2)
        let x = random.floats(1536)
        var y = [Float](repeating: 0, count: 49152)
        for threads in [1, 2] {
            let pool = ThreadPool(threadCount: threads)
            let t = x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    Self.time(repeats: 5) {
                        for m in matrices { m.matmul(xp.baseAddress!, batch: 1, into: yp.baseAddress!, pool: pool) }
                    }
                }
            }
            print(String(format: "SmolLM2 matmuls per token, %d threads: %.2f ms (%.1f tokens/s, %.1f GB/s over %.1f MB)",
                         threads, t * 1e3, 1 / t, Double(bytes) / t / 1e9, Double(bytes) / 1e6))
        }
    }
}
