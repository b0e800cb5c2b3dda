/// The two places where known copies of the judging prompt differ (PROTOCOL.md section 2). Both
/// are options so that neither guess is hard-wired; the defaults are the bundled
/// `judge-prompt.txt` as it is (straight apostrophe, suffix on the scores line).
public struct PromptVariant: Sendable, Hashable, Codable {
    /// The apostrophe in "(the last turn is the User's query)"; only that occurrence differs
    /// between copies.
    public enum Apostrophe: String, Sendable, Hashable, Codable, CaseIterable {
        /// `'` (U+0027), as in the bundled text and NVIDIA's NeMo-RL copy.
        case straight
        /// `’` (U+2019), as in some other copies.
        case curly
    }

    /// Which example box of the output-format section carries " if there exists 2 responses"; the
    /// other line keeps a trailing space instead.
    public enum BoxedSuffix: String, Sendable, Hashable, Codable, CaseIterable {
        /// `\boxed{x, y} if there exists 2 responses` and `\boxed{z} ` (the bundled text).
        case scores
        /// `\boxed{x, y} ` and `\boxed{z} if there exists 2 responses`.
        case ranking
    }

    public var apostrophe: Apostrophe
    public var boxedSuffix: BoxedSuffix

    public init(apostrophe: Apostrophe = .straight, boxedSuffix: BoxedSuffix = .scores) {
        self.apostrophe = apostrophe
        self.boxedSuffix = boxedSuffix
    }

    private enum CodingKeys: String, CodingKey {
        case apostrophe
        case boxedSuffix = "boxed_suffix"
    }
}
