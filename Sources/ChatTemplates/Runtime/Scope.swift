/// One level of variable bindings. The template body, each loop iteration, each macro call and
/// each `with` block get their own scope; `if` blocks do not, so a `set` inside an `if` is visible
/// after it while a `set` inside a loop body is not, exactly as in Jinja.
final class Scope {
    private var variables: [String: Value] = [:]
    let parent: Scope?

    init(parent: Scope?) { self.parent = parent }

    func lookup(_ name: String) -> Value? {
        var scope: Scope? = self
        while let current = scope {
            if let value = current.variables[name] { return value }
            scope = current.parent
        }
        return nil
    }

    func set(_ name: String, _ value: Value) { variables[name] = value }

    /// Drops every binding (to break the cycle a macro makes with the scope it was defined in).
    func removeAll() { variables.removeAll() }
}
