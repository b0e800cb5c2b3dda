/// The meaning of a helpfulness score (PROTOCOL.md section 4; the judging prompt's guidelines).
public enum Helpfulness: Int, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case notHelpful = 1
    case borderlineUnhelpful = 2
    case partiallyHelpful = 3
    case mostlyHelpful = 4
    case extremelyHelpful = 5

    public var description: String {
        switch self {
        case .notHelpful: "not helpful"
        case .borderlineUnhelpful: "borderline unhelpful"
        case .partiallyHelpful: "partially helpful"
        case .mostlyHelpful: "mostly helpful"
        case .extremelyHelpful: "extremely helpful"
        }
    }
}
