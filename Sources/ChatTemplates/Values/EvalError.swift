/// A failure inside value operations, before the interpreter attaches a source location.
struct EvalError: Error {
    enum Kind {
        /// Python's TypeError, ValueError, ZeroDivisionError and friends.
        case type
        /// Jinja's UndefinedError: an undefined value was used.
        case undefined
        /// The immutable sandbox refused an operation.
        case security
        /// `raise_exception(...)` in the template.
        case raised
        /// Compile-time evaluation met a variable or a call (Jinja's `Impossible`); never escapes.
        case notConstant
    }

    let kind: Kind
    let message: String

    static func type(_ message: String) -> EvalError { EvalError(kind: .type, message: message) }
    static func undefined(_ undefined: Undefined) -> EvalError {
        EvalError(kind: undefined.isUnsafe ? .security : .undefined, message: undefined.hint)
    }
}
