import CTorch

/// Reverse-mode differentiation, delegated to libtorch's autograd engine.
extension Tensor {
    public var requiresGrad: Bool { ct_requires_grad(raw) == 1 }

    /// Marks a leaf tensor as a parameter whose gradient is accumulated by `backward`.
    @discardableResult
    public func requiringGrad(_ flag: Bool = true) throws -> Tensor {
        try check(ct_set_requires_grad(raw, flag ? 1 : 0))
        return self
    }

    /// The accumulated gradient, or nil before the first backward pass / after `zeroGrad`.
    public var grad: Tensor? {
        var out: OpaquePointer?
        guard ct_grad(raw, &out) == 0, let out else { return nil }
        return Tensor(owning: out)
    }

    /// Replaces the gradient (nil drops it, which is how `zeroGrad` frees the memory).
    public func setGrad(_ grad: Tensor?) throws { try check(ct_set_grad(raw, grad?.raw)) }

    /// Back-propagates from this tensor; a scalar needs no `gradient`.
    public func backward(_ gradient: Tensor? = nil, retainGraph: Bool = false) throws {
        try check(ct_backward(raw, gradient?.raw, retainGraph ? 1 : 0))
    }
}
