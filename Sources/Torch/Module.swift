/// A tensor a module keeps but does not train (BatchNorm's running statistics).
public struct Buffer: @unchecked Sendable {
    public let tensor: Tensor
    public init(_ tensor: Tensor) { self.tensor = tensor }
}

/// What one module holds directly.
public struct ModuleEntries {
    public var parameters: [(String, Tensor)] = []
    public var buffers: [(String, Tensor)] = []
    public var children: [(String, Module)] = []
    public init(parameters: [(String, Tensor)] = [], buffers: [(String, Tensor)] = [], children: [(String, Module)] = []) {
        self.parameters = parameters
        self.buffers = buffers
        self.children = children
    }
}

/// A network component. Subclasses declare their pieces as stored properties and get naming,
/// train/eval switching, device moves and state dicts for free:
/// - a `Tensor` property is a trainable parameter, a `Buffer` a persistent non-trained tensor,
/// - a `Module`, `[Module]` or optional of either is a child (arrays are numbered like `nn.Sequential`),
/// - names are the property labels in snake_case, so `runningMean` is saved as `running_mean` and a
///   Swift model reads the state dict of its PyTorch twin unchanged.
/// Other stored properties (ints, configs) are ignored.
open class Module: @unchecked Sendable {
    public private(set) var isTraining = true

    public init() {}

    /// Named tensors and children of this module only, in declaration order. Override to name
    /// children differently (as `Sequential` numbers its layers).
    open func ownEntries() -> ModuleEntries {
        var parameters: [(String, Tensor)] = [], buffers: [(String, Tensor)] = [], children: [(String, Module)] = []
        var mirror: Mirror? = Mirror(reflecting: self)
        var levels: [Mirror] = []
        while let m = mirror, m.subjectType != Module.self {
            levels.insert(m, at: 0)  // superclass properties first, like Python's registration order
            mirror = m.superclassMirror
        }
        for level in levels {
            for child in level.children {
                guard let label = child.label else { continue }
                let name = Module.snakeCase(label)
                switch Module.unwrap(child.value) {
                case let t as Tensor: parameters.append((name, t))
                case let b as Buffer: buffers.append((name, b.tensor))
                case let m as Module: children.append((name, m))
                case let list as [Module]:
                    for (i, m) in list.enumerated() { children.append(("\(name).\(i)", m)) }
                default: continue
                }
            }
        }
        return ModuleEntries(parameters: parameters, buffers: buffers, children: children)
    }

    private static func unwrap(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first.map { unwrap($0.value) } ?? nil
    }

    static func snakeCase(_ label: String) -> String {
        var out = ""
        for ch in label {
            if ch.isUppercase {
                if !out.isEmpty { out.append("_") }
                out.append(contentsOf: ch.lowercased())
            } else {
                out.append(ch)
            }
        }
        return out
    }

    /// This module and all descendants with their dotted paths ("" for self).
    public func namedModules(prefix: String = "") -> [(String, Module)] {
        var out: [(String, Module)] = [(prefix, self)]
        for (name, child) in ownEntries().children {
            out += child.namedModules(prefix: prefix.isEmpty ? name : "\(prefix).\(name)")
        }
        return out
    }

    public func namedParameters() -> [(String, Tensor)] {
        namedModules().flatMap { path, m in m.ownEntries().parameters.map { (path.isEmpty ? $0.0 : "\(path).\($0.0)", $0.1) } }
    }

    public func namedBuffers() -> [(String, Tensor)] {
        namedModules().flatMap { path, m in m.ownEntries().buffers.map { (path.isEmpty ? $0.0 : "\(path).\($0.0)", $0.1) } }
    }

    public func parameters() -> [Tensor] { namedParameters().map(\.1) }

    /// Parameters and buffers by name: what a checkpoint holds.
    public func stateDict() -> [String: Tensor] {
        Dictionary(namedParameters() + namedBuffers(), uniquingKeysWith: { first, _ in first })
    }

    /// Switches dropout and batch-norm behaviour for the whole tree.
    public func train(_ on: Bool = true) {
        for (_, m) in namedModules() { m.isTraining = on }
    }

    public func eval() { train(false) }

    /// Marks every parameter as trainable (or frozen).
    public func requiresGrad(_ flag: Bool) throws {
        for p in parameters() { try p.requiringGrad(flag) }
    }

    /// Moves every parameter and buffer to `device`, keeping tensor identity so optimisers stay valid.
    public func move(to device: Device) throws {
        for p in parameters() where p.device != device {
            let trainable = p.requiresGrad
            let moved = try withNoGrad { try p.detached().to(device) }
            try p.assign(moved)
            try p.requiringGrad(trainable)
        }
        for b in namedBuffers().map(\.1) where b.device != device {
            try b.assign(try b.to(device))
        }
    }

    /// Copies values from `state` into this module's tensors (shapes must match; dtypes converted).
    /// With `strict`, a missing or unexpected key is an error naming it.
    @discardableResult
    public func load(_ state: [String: Tensor], strict: Bool = true) throws -> (missing: [String], unexpected: [String]) {
        let mine = stateDict()
        let missing = mine.keys.filter { state[$0] == nil }.sorted()
        let unexpected = state.keys.filter { mine[$0] == nil }.sorted()
        if strict, !missing.isEmpty || !unexpected.isEmpty {
            throw TorchError("state dict mismatch: missing \(missing.prefix(5)), unexpected \(unexpected.prefix(5))")
        }
        try withNoGrad {
            for (name, target) in mine {
                guard let source = state[name] else { continue }
                guard source.shape == target.shape else {
                    throw TorchError("'\(name)': checkpoint shape \(source.shape) != model shape \(target.shape)")
                }
                try target.copyInPlace(source.to(target.dtype).to(target.device))
            }
        }
        return (missing, unexpected)
    }
}

/// A module mapping one tensor to one tensor, so it can sit in a `Sequential`.
public protocol Layer: Module {
    func callAsFunction(_ x: Tensor) throws -> Tensor
}

/// Layers applied in order; children are named 0, 1, 2... like `nn.Sequential`.
public final class Sequential: Module, Layer {
    public let layers: [any Layer]

    public init(_ layers: [any Layer]) {
        self.layers = layers
        super.init()
    }

    override public func ownEntries() -> ModuleEntries {
        ModuleEntries(children: layers.enumerated().map { ("\($0.offset)", $0.element) })
    }

    public subscript(index: Int) -> any Layer { layers[index] }
    public var count: Int { layers.count }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try run(x, layers[...])
    }

    /// Runs layers `range` only (to tap intermediate features).
    public func run(_ x: Tensor, _ range: ArraySlice<any Layer>) throws -> Tensor {
        var y = x
        for layer in range { y = try layer(y) }
        return y
    }
}
