import Foundation

/// Executes a parsed template. One interpreter renders one template once.
final class Interpreter {
    enum Flow { case normal, breakLoop, continueLoop }

    let clock: @Sendable () -> Date
    var globals: [String: Value] = [:]
    private var callDepth = 0
    /// The scopes macros of this render were defined in (emptied when the render ends).
    private var macroScopes: [Scope] = []
    /// Above zero while evaluating an expression the way Jinja's compile-time optimizer does.
    var foldingDepth = 0
    /// Macro recursion deeper than this fails instead of exhausting the stack (Python would raise
    /// RecursionError a little later).
    static let maximumCallDepth = 80
    /// Rendered output beyond this many UTF-8 bytes fails: a template must not be able to
    /// exhaust memory (nested loops over `range(100000)`).
    let maximumOutputBytes: Int

    init(clock: @escaping @Sendable () -> Date, maximumOutputBytes: Int) {
        self.clock = clock
        self.maximumOutputBytes = maximumOutputBytes
        globals = Globals.make(self)
    }

    func render(_ nodes: [Node], context: Scope) throws -> String {
        // A macro holds the scope it was defined in, which holds the macro: once the render
        // ends, those scopes are emptied so the cycle (and the template's syntax tree it keeps
        // alive) is freed; otherwise every render of a template with a macro leaked (found by
        // the jinja fuzz target).
        defer {
            for scope in macroScopes { scope.removeAll() }
            macroScopes.removeAll()
        }
        var out = ""
        _ = try execute(nodes, scope: context, into: &out)
        return out
    }

    // MARK: errors

    func locate(_ error: EvalError, _ at: SourceLocation) -> TemplateError {
        switch error.kind {
        case .raised: return .raised(message: error.message)
        case .type, .undefined, .security, .notConstant:
            return .runtime(line: at.line, column: at.column, message: error.message)
        }
    }

    func located<T>(_ at: SourceLocation, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as EvalError {
            throw locate(error, at)
        }
    }

    // MARK: statements

    func execute(_ nodes: [Node], scope: Scope, into out: inout String) throws -> Flow {
        for node in nodes {
            let flow = try execute(node, scope: scope, into: &out)
            if flow != .normal { return flow }
        }
        return .normal
    }

    private func write(_ text: String, into out: inout String, at location: SourceLocation) throws {
        out += text
        if out.utf8.count > maximumOutputBytes {
            throw TemplateError.runtime(
                line: location.line, column: location.column,
                message: "rendered output exceeds \(maximumOutputBytes) bytes")
        }
    }

    private func execute(_ node: Node, scope: Scope, into out: inout String) throws -> Flow {
        switch node {
        case .text(let text):
            out += text
        case .output(let expr):
            let value = try evaluateRoot(expr, scope)
            try write(try located(expr.location) { try Python.str(value) }, into: &out, at: expr.location)
        case .conditional(let branches, let otherwise):
            for branch in branches where Python.truthy(try evaluate(branch.test, scope)) {
                return try execute(branch.body, scope: scope, into: &out)
            }
            return try execute(otherwise, scope: scope, into: &out)
        case .forLoop(let loop):
            let iterable = try evaluate(loop.iterable, scope)
            let elements = try located(loop.iterable.location) { try Operations.iterate(iterable) }
            try runLoop(loop, elements: elements, scope: scope, depth0: 0, into: &out)
        case .assign(let target, let expr, let location):
            let value = try evaluate(expr, scope)
            try assign(target, value, scope: scope, at: location)
        case .assignBlock(let target, let filter, let body, let location):
            var captured = ""
            _ = try execute(body, scope: scope, into: &captured)
            var value = Value.string(captured)
            if let filter { value = try applyFilterChain(filter, to: value, scope) }
            try assign(target, value, scope: scope, at: location)
        case .macro(let definition):
            scope.set(definition.name, .callable(makeMacro(definition, closure: scope)))
        case .callBlock(let caller, let call, let location):
            guard case .call(let callee, let arguments, let callLocation) = call else { return .normal }
            let function = try evaluate(callee, scope)
            var values = try evaluateArguments(arguments, scope, at: callLocation)
            values.keyword.append(("caller", .callable(makeMacro(caller, closure: scope))))
            let result = try located(location) { try Operations.call(function, values) }
            try write(try located(location) { try Python.str(result) }, into: &out, at: location)
        case .filterBlock(let filter, let body, let location):
            var captured = ""
            _ = try execute(body, scope: scope, into: &captured)
            let value = try applyFilterChain(filter, to: .string(captured), scope)
            try write(try located(location) { try Python.str(value) }, into: &out, at: location)
        case .with(let bindings, let body):
            let inner = Scope(parent: scope)
            let values = try bindings.map { try evaluate($0.value, scope) }
            for (binding, value) in zip(bindings, values) {
                try assign(binding.target, value, scope: inner, at: binding.value.location)
            }
            return try execute(body, scope: inner, into: &out)
        case .breakLoop:
            return .breakLoop
        case .continueLoop:
            return .continueLoop
        case .generation(let body):
            return try execute(body, scope: scope, into: &out)
        }
        return .normal
    }

    /// Runs a for loop; a `recursive` loop's body may call `loop(children)` to run again one
    /// level deeper.
    private func runLoop(_ loop: ForLoop, elements all: [Value], scope: Scope, depth0: Int, into out: inout String)
        throws
    {
        var elements = all
        if let condition = loop.condition {
            // Jinja filters first, so loop.index and loop.length count only kept items.
            elements = try all.filter { element in
                let probe = Scope(parent: scope)
                try assign(loop.target, element, scope: probe, at: loop.location)
                return Python.truthy(try evaluate(condition, probe))
            }
        }
        if elements.isEmpty {
            _ = try execute(loop.otherwise, scope: scope, into: &out)
            return
        }
        let context = LoopContext(elements: elements, depth0: depth0)
        if loop.recursive {
            context.recurse = { [unowned self] children in
                var nested = ""
                try self.runLoop(loop, elements: children, scope: scope, depth0: depth0 + 1, into: &nested)
                return nested
            }
        }
        for (index, element) in elements.enumerated() {
            context.index0 = index
            let iteration = Scope(parent: scope)
            try assign(loop.target, element, scope: iteration, at: loop.location)
            iteration.set("loop", .loop(context))
            if try execute(loop.body, scope: iteration, into: &out) == .breakLoop { break }
        }
    }

    func assign(_ target: AssignTarget, _ value: Value, scope: Scope, at location: SourceLocation) throws {
        switch target {
        case .name(let name):
            scope.set(name, value)
        case .tuple(let targets):
            let items = try located(location) { try Operations.iterate(value) }
            guard items.count == targets.count else {
                let problem = items.count > targets.count
                    ? "too many values to unpack (expected \(targets.count))"
                    : "not enough values to unpack (expected \(targets.count), got \(items.count))"
                throw TemplateError.runtime(line: location.line, column: location.column, message: problem)
            }
            for (inner, item) in zip(targets, items) { try assign(inner, item, scope: scope, at: location) }
        case .namespaceAttribute(let name, let attribute):
            guard case .namespace(let namespace) = scope.lookup(name) ?? globals[name] ?? .undefined(.name(name))
            else {
                throw TemplateError.runtime(
                    line: location.line, column: location.column, message: "cannot assign attribute on non-namespace object")
            }
            try located(location) { try Globals.checkNamespaceName(attribute) }
            namespace.attributes.set(attribute, value)
        }
    }

    /// Printed values fold without needing a literal form (Jinja renders them at compile time).
    private func evaluateRoot(_ expr: Expr, _ scope: Scope) throws -> Value {
        if case .folded(let inner) = expr {
            do {
                return try evaluateFolded(inner, scope, anyValue: true)
            } catch let error as EvalError {
                throw locate(error, expr.location)
            }
        }
        return try evaluate(expr, scope)
    }

    // MARK: macros

    func makeMacro(_ definition: MacroDefinition, closure: Scope) -> Callable {
        macroScopes.append(closure)
        return Callable(name: definition.name, isMacro: true) { [unowned self] arguments in
            try self.invokeMacro(definition, closure: closure, arguments: arguments)
        }
    }

    private func invokeMacro(_ definition: MacroDefinition, closure: Scope, arguments: Arguments) throws -> Value {
        callDepth += 1
        defer { callDepth -= 1 }
        guard callDepth <= Self.maximumCallDepth else {
            throw EvalError.type("maximum recursion depth exceeded calling macro '\(definition.name)'")
        }
        let scope = Scope(parent: closure)
        let parameters = definition.parameters
        var provided = Array(repeating: false, count: parameters.count)
        for (index, value) in arguments.positional.prefix(parameters.count).enumerated() {
            scope.set(parameters[index].name, value)
            provided[index] = true
        }
        let extraPositional = Array(arguments.positional.dropFirst(parameters.count))
        if !extraPositional.isEmpty && !definition.usesVarargs {
            throw EvalError.type("macro '\(definition.name)' takes not more than \(parameters.count) argument(s)")
        }
        var extraKeyword = Dict()
        if definition.usesCaller { scope.set("caller", .undefined(Undefined(hint: "No caller defined"))) }
        for (name, value) in arguments.keyword {
            if let index = parameters.firstIndex(where: { $0.name == name }) {
                if provided[index] {
                    throw EvalError.type("macro '\(definition.name)' got multiple values for argument '\(name)'")
                }
                scope.set(name, value)
                provided[index] = true
            } else if name == "caller" && definition.usesCaller {
                scope.set("caller", value)
            } else if definition.usesKwargs {
                extraKeyword.set(name, value)
            } else {
                throw EvalError.type("macro '\(definition.name)' takes no keyword argument '\(name)'")
            }
        }
        for (index, parameter) in parameters.enumerated() where !provided[index] {
            if let defaultValue = parameter.defaultValue {
                scope.set(parameter.name, try evaluate(defaultValue, scope))
            } else {
                scope.set(parameter.name, .undefined(Undefined(hint: "parameter '\(parameter.name)' was not provided")))
            }
        }
        if definition.usesVarargs { scope.set("varargs", .tuple(extraPositional)) }
        if definition.usesKwargs { scope.set("kwargs", .dict(extraKeyword)) }
        var out = ""
        _ = try execute(definition.body, scope: scope, into: &out)
        return .string(out)
    }
}
