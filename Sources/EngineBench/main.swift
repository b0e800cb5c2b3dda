// engine-bench: times genrm's engine on a GGUF model the way llama-bench does.
//   pp: one prefill of N prompt tokens (batch = N), tokens/s
//   tg: N single-token decode steps from an empty context, tokens/s
// and, with --ids, prints a greedy continuation of the given token ids (a smoke check).
// Usage: engine-bench --model PATH [--threads T] [--pp 512] [--tg 128] [--repeat 3]
//        engine-bench --model PATH --ids 1,2,3 [--generate 32] [--dump-logits FILE]
// Prints one JSON object per measurement so bench/engine can read them.
import Engine
import Foundation

struct Options {
    var model = ""
    var threads = ProcessInfo.processInfo.activeProcessorCount
    var promptTokens = [512]
    var generatedTokens = 128
    var repeats = 3
    var ids: [Int]?
    var generate = 32
    var logitsPath: String?
}

func parseOptions() -> Options? {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst().makeIterator()
    while let flag = arguments.next() {
        guard let value = arguments.next() else { return nil }
        switch flag {
        case "--model": options.model = value
        case "--threads": options.threads = Int(value) ?? options.threads
        case "--pp": options.promptTokens = value.split(separator: ",").compactMap { Int($0) }
        case "--tg": options.generatedTokens = Int(value) ?? options.generatedTokens
        case "--repeat": options.repeats = Int(value) ?? options.repeats
        case "--generate": options.generate = Int(value) ?? options.generate
        case "--ids": options.ids = value.split(separator: ",").compactMap { Int($0) }
        case "--dump-logits": options.logitsPath = value
        default: return nil
        }
    }
    return options.model.isEmpty ? nil : options
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now()
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

func report(_ test: String, tokens: Int, times: [Double], threads: Int) {
    let best = times.min() ?? 0
    let mean = times.reduce(0, +) / Double(max(1, times.count))
    let line = String(
        format: "{\"engine\": \"genrm\", \"test\": \"%@\", \"threads\": %d, \"tokens\": %d, \"best_tokens_per_second\": %.2f, \"mean_tokens_per_second\": %.2f}",
        test, threads, tokens, Double(tokens) / best, Double(tokens) / mean)
    print(line)
}

/// Bytes per second `memcpy` moves between two 256 MiB buffers, the pool's threads each copying
/// a slice: best of 5 (each byte read once and written once).
func copyBandwidth(pool: ThreadPool) -> Double {
    let size = 256 << 20
    let source = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 1 << 21)
    let target = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 1 << 21)
    defer { source.deallocate(); target.deallocate() }
    memset(source, 1, size)
    memset(target, 0, size)
    let slice = size / pool.threadCount
    let best = (0..<5).map { _ in
        seconds { pool.parallelFor(pool.threadCount) { i in memcpy(target + i * slice, source + i * slice, slice) } }
    }.min() ?? 1
    return Double(slice * pool.threadCount) / best
}

func main() throws {
    guard let options = parseOptions() else {
        FileHandle.standardError.write(Data("usage: engine-bench --model PATH [--threads T] [--pp N] [--tg N] [--repeat R] [--ids a,b,c --generate N]\n".utf8))
        exit(2)
    }
    let pool = ThreadPool(threadCount: options.threads)
    let model = try TransformerModel(path: options.model, pool: pool)

    if let ids = options.ids {
        let session = InferenceSession(model: model)
        if let path = options.logitsPath {
            // Raw little-endian float32 logits after every prompt position (rows, vocabulary),
            // token by token, for comparing with other engines.
            var all: [Float] = []
            for id in ids {
                try session.append(id)
                all += session.logits
            }
            let data = all.withUnsafeBufferPointer { Data(buffer: $0) }
            guard FileManager.default.createFile(atPath: path, contents: data) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
        } else {
            try session.prefill(ids)
        }
        var sampler = try Sampler(.greedy)
        var out: [Int] = []
        for _ in 0..<options.generate {
            let token = try sampler.sample(session.logits)
            out.append(token)
            try session.append(token)
        }
        print(out.map(String.init).joined(separator: ","))
        return
    }

    print("{\"info\": \"model\", \"kernels\": \"\(KernelISA.selected)\", \"decode_bytes_per_token\": \(model.decodeBytesPerToken)}")
    print(String(format: "{\"info\": \"copy\", \"threads\": %d, \"gb_per_second\": %.2f}", options.threads,
                 copyBandwidth(pool: pool) / 1e9))

    // Deterministic pseudo-random prompt, as llama-bench uses random tokens.
    var random = RandomSource(seed: 1)
    let longest = options.promptTokens.max() ?? 512
    let prompt = (0..<longest).map { _ in Int(random.next() % UInt64(model.config.vocabularySize)) }

    // Warm-up: touches every weight page once.
    let warm = InferenceSession(model: model, prefillBatchSize: 512)
    try warm.prefill(Array(prompt.prefix(16)))

    for tokens in options.promptTokens {
        var ppTimes: [Double] = []
        for _ in 0..<options.repeats {
            let session = InferenceSession(model: model, prefillBatchSize: tokens)
            ppTimes.append(try seconds { try session.prefill(Array(prompt.prefix(tokens))) })
        }
        report("pp\(tokens)", tokens: tokens, times: ppTimes, threads: options.threads)
    }

    var tgTimes: [Double] = []
    for _ in 0..<options.repeats {
        let session = InferenceSession(model: model)
        var token = prompt[0]
        tgTimes.append(try seconds {
            for _ in 0..<options.generatedTokens {
                try session.append(token)
                token = Sampler.argmax(session.logits) ?? 0
            }
        })
    }
    report("tg\(options.generatedTokens)", tokens: options.generatedTokens, times: tgTimes, threads: options.threads)
}

do {
    try main()
} catch {
    FileHandle.standardError.write(Data("engine-bench: \(error)\n".utf8))
    exit(1)
}
