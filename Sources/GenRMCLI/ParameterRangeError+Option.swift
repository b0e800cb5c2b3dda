import GenRM

extension ParameterRangeError {
    /// The message with the parameter named as its command-line option (`--top-p = 0.0 is out of
    /// range: must be in (0, 1]`).
    var optionMessage: String { described(as: "--" + field.replacingOccurrences(of: "_", with: "-")) }
}
