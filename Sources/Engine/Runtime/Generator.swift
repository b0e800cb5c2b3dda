import Foundation

/// Prompt ids in, sampled tokens out: prefill, then sample / feed until a stop token, a stop
/// string, the token budget or the context window ends it. Checks for cancellation every token.
public struct Generator: Sendable {
    public let model: TransformerModel
    /// Decodes generated ids to text (the tokenizer's `decode`), for stop strings and streaming.
    public let detokenize: @Sendable ([Int]) -> String

    public init(model: TransformerModel, detokenize: @escaping @Sendable ([Int]) -> String) {
        self.model = model
        self.detokenize = detokenize
    }

    /// Generates synchronously. `onChunk` sees every sampled token with the text it settled and
    /// returns false to stop (finish reason `.cancelled`); a cancelled surrounding task stops too.
    public func generate(
        prompt: [Int], parameters: GenerationParameters,
        onChunk: (GenerationChunk) -> Bool = { _ in true }
    ) throws(GenerationError) -> GenerationResult {
        guard !prompt.isEmpty else { throw .emptyPrompt }
        guard parameters.maxTokens > 0 else { throw .invalidMaxTokens(parameters.maxTokens) }
        guard prompt.count <= model.config.contextLength else {
            throw .model(.contextOverflow(tokens: prompt.count, contextLength: model.config.contextLength))
        }
        var sampler: Sampler
        do { sampler = try Sampler(parameters.sampling) } catch { throw .sampling(error) }
        let session = InferenceSession(model: model)
        let promptStart = DispatchTime.now()
        do { try session.prefill(prompt) } catch { throw .model(error) }
        let promptSeconds = Self.seconds(since: promptStart)

        let matcher = StopStringMatcher(parameters.stopStrings)
        var generated: [Int] = []
        var sampledCount = 0
        var emitted = 0
        var text: [Unicode.Scalar] = []
        var finish = FinishReason.maxTokens
        let generationStart = DispatchTime.now()
        while sampledCount < parameters.maxTokens {
            if Task.isCancelled {
                finish = .cancelled
                break
            }
            let token: Int
            do { token = try sampler.sample(session.logits) } catch { throw .sampling(error) }
            sampledCount += 1
            if parameters.stopTokens.contains(token) {
                finish = .stopToken
                // Text held back for a possible stop string is final now.
                _ = onChunk(GenerationChunk(token: token, text: Self.string(text[emitted...])))
                break
            }
            generated.append(token)
            text = Array(detokenize(generated).unicodeScalars)
            let stop = matcher.firstStop(in: text)
            if let stop {
                text.removeSubrange(stop...)
                finish = .stopString
            } else if sampledCount == parameters.maxTokens {
                finish = .maxTokens
            } else if session.tokens.count >= session.maxLength {
                finish = .contextFull
            }
            let isLast = stop != nil || sampledCount == parameters.maxTokens || finish == .contextFull
            let settled = max(emitted, isLast ? text.count : matcher.safePrefixLength(of: text))
            let chunk = GenerationChunk(token: token, text: Self.string(text[emitted..<settled]))
            emitted = settled
            let goOn = onChunk(chunk)
            if isLast { break }
            guard goOn else {
                finish = .cancelled
                break
            }
            do { try session.append(token) } catch { throw .model(error) }
        }
        let usage = GenerationUsage(
            promptTokens: prompt.count, promptSeconds: promptSeconds,
            generatedTokens: sampledCount, generationSeconds: Self.seconds(since: generationStart))
        return GenerationResult(tokens: generated, text: Self.string(text[...]), finishReason: finish, usage: usage)
    }

    /// Generates on a background task, yielding chunks; finishing or cancelling the consumer
    /// cancels the generation at the next token.
    public func stream(prompt: [Int], parameters: GenerationParameters) -> AsyncThrowingStream<GenerationEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task.detached {
                do {
                    let result = try self.generate(prompt: prompt, parameters: parameters) { chunk in
                        continuation.yield(.chunk(chunk))
                        return true
                    }
                    continuation.yield(.finished(result))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }

    private static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars)
        return String(s)
    }
}

/// One event of a streamed generation.
public enum GenerationEvent: Sendable, Equatable {
    case chunk(GenerationChunk)
    /// The last event: the whole result with usage.
    case finished(GenerationResult)
}
