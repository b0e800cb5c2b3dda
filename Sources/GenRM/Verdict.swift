/// How much better the preferred response is, read from the ranking's distance to the midpoint.
public enum PreferenceStrength: String, Sendable, Hashable, Codable, CaseIterable {
    case slightlyBetter = "slightly_better"
    case better
    case muchBetter = "much_better"

    public var words: String {
        switch self {
        case .slightlyBetter: "slightly better than"
        case .better: "better than"
        case .muchBetter: "much better than"
        }
    }
}

/// What one judgment says: for one response its helpfulness; for two, which is preferred and by
/// how much (ranking 1-3: response 1, 4-6: response 2; 1 and 6 much better, 2 and 5 better,
/// 3 and 4 slightly better).
public enum Verdict: Sendable, Hashable, CustomStringConvertible {
    case helpfulness(Helpfulness)
    case preference(preferred: Int, strength: PreferenceStrength)

    /// The preference a valid ranking (1-6) states; nil outside 1-6.
    public init?(ranking: Int) {
        let strengths: [PreferenceStrength] = [.muchBetter, .better, .slightlyBetter]
        switch ranking {
        case 1...3: self = .preference(preferred: 1, strength: strengths[ranking - 1])
        case 4...6: self = .preference(preferred: 2, strength: strengths[6 - ranking])
        default: return nil
        }
    }

    /// The preferred response (1 or 2), nil for a helpfulness verdict.
    public var preferred: Int? {
        if case .preference(let preferred, _) = self { preferred } else { nil }
    }

    public var description: String {
        switch self {
        case .helpfulness(let level):
            "Response 1 is \(level) (helpfulness \(level.rawValue) of 5)."
        case .preference(let preferred, let strength):
            "Response \(preferred) is \(strength.words) response \(3 - preferred)."
        }
    }
}

/// `{"kind": "helpfulness", "score": 4}` or
/// `{"kind": "preference", "preferred": 2, "strength": "better"}`.
extension Verdict: Codable {
    private enum CodingKeys: String, CodingKey {
        case kind, score, preferred, strength
    }

    private enum Kind: String, Codable {
        case helpfulness, preference
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(Kind.self, forKey: .kind) {
        case .helpfulness:
            let score = try container.decode(Int.self, forKey: .score)
            guard let level = Helpfulness(rawValue: score) else {
                throw DecodingError.dataCorruptedError(forKey: .score, in: container, debugDescription: "score \(score) is outside 1-5")
            }
            self = .helpfulness(level)
        case .preference:
            let preferred = try container.decode(Int.self, forKey: .preferred)
            guard preferred == 1 || preferred == 2 else {
                throw DecodingError.dataCorruptedError(forKey: .preferred, in: container, debugDescription: "preferred \(preferred) is not 1 or 2")
            }
            self = .preference(preferred: preferred, strength: try container.decode(PreferenceStrength.self, forKey: .strength))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .helpfulness(let level):
            try container.encode(Kind.helpfulness, forKey: .kind)
            try container.encode(level.rawValue, forKey: .score)
        case .preference(let preferred, let strength):
            try container.encode(Kind.preference, forKey: .kind)
            try container.encode(preferred, forKey: .preferred)
            try container.encode(strength, forKey: .strength)
        }
    }
}
