/// How many candidate responses one judgment covers: one (helpfulness only) or two (helpfulness
/// of each plus a ranking). A GenRM judges at most two at a time.
public enum ResponseCount: Int, Sendable, Hashable, Codable, CaseIterable {
    case one = 1
    case two = 2
}
