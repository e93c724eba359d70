import CTorch

/// Elementwise maths. Binary operations broadcast like PyTorch.
extension Tensor {
    func unary(_ op: ct_unary_op) throws -> Tensor { try Tensor.wrap(ct_unary(Int32(op.rawValue), raw)) }
    func binary(_ op: ct_binary_op, _ other: Tensor) throws -> Tensor {
        try Tensor.wrap(ct_binary(Int32(op.rawValue), raw, other.raw))
    }
    func binary(_ op: ct_binary_op, _ scalar: Double) throws -> Tensor {
        try Tensor.wrap(ct_binary_scalar(Int32(op.rawValue), raw, scalar))
    }

    public func exp() throws -> Tensor { try unary(CT_EXP) }
    public func log() throws -> Tensor { try unary(CT_LOG) }
    public func sqrt() throws -> Tensor { try unary(CT_SQRT) }
    public func abs() throws -> Tensor { try unary(CT_ABS) }
    public func sigmoid() throws -> Tensor { try unary(CT_SIGMOID) }
    public func tanh() throws -> Tensor { try unary(CT_TANH) }
    public func relu() throws -> Tensor { try unary(CT_RELU) }
    public func relu6() throws -> Tensor { try unary(CT_RELU6) }
    /// The exact (erf) GELU.
    public func gelu() throws -> Tensor { try unary(CT_GELU) }
    public func floor() throws -> Tensor { try unary(CT_FLOOR) }
    public func rounded() throws -> Tensor { try unary(CT_ROUND) }
    public func reciprocal() throws -> Tensor { try unary(CT_RECIPROCAL) }

    /// In-place activations (autograd-aware, like PyTorch's `inplace=True`): only for values no other
    /// op still needs, such as a fresh conv or norm output.
    public func relu6InPlace() throws { try check(ct_unary_inplace(Int32(CT_RELU6.rawValue), raw)) }

    public func pow(_ exponent: Double) throws -> Tensor { try binary(CT_POW, exponent) }
    public func pow(_ exponent: Tensor) throws -> Tensor { try binary(CT_POW, exponent) }
    public func maximum(_ other: Tensor) throws -> Tensor { try binary(CT_MAXIMUM, other) }
    public func minimum(_ other: Tensor) throws -> Tensor { try binary(CT_MINIMUM, other) }
    public func logicalAnd(_ other: Tensor) throws -> Tensor { try binary(CT_AND, other) }

    public func clamp(min: Double? = nil, max: Double? = nil) throws -> Tensor {
        try Tensor.wrap(ct_clamp(raw, min ?? 0, max ?? 0, min == nil ? 0 : 1, max == nil ? 0 : 1))
    }

    /// `condition ? a : b`, elementwise.
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        try wrap(ct_where(condition.raw, a.raw, b.raw))
    }

    public func eq(_ other: Tensor) throws -> Tensor { try binary(CT_EQ, other) }
    public func eq(_ s: Double) throws -> Tensor { try binary(CT_EQ, s) }
    public func ne(_ other: Tensor) throws -> Tensor { try binary(CT_NE, other) }
    public func ne(_ s: Double) throws -> Tensor { try binary(CT_NE, s) }
    public func lt(_ other: Tensor) throws -> Tensor { try binary(CT_LT, other) }
    public func lt(_ s: Double) throws -> Tensor { try binary(CT_LT, s) }
    public func le(_ other: Tensor) throws -> Tensor { try binary(CT_LE, other) }
    public func le(_ s: Double) throws -> Tensor { try binary(CT_LE, s) }
    public func gt(_ other: Tensor) throws -> Tensor { try binary(CT_GT, other) }
    public func gt(_ s: Double) throws -> Tensor { try binary(CT_GT, s) }
    public func ge(_ other: Tensor) throws -> Tensor { try binary(CT_GE, other) }
    public func ge(_ s: Double) throws -> Tensor { try binary(CT_GE, s) }

    public static prefix func - (a: Tensor) throws -> Tensor { try a.unary(CT_NEG) }
    public static func + (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(CT_ADD, b) }
    public static func - (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(CT_SUB, b) }
    public static func * (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(CT_MUL, b) }
    public static func / (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(CT_DIV, b) }
    public static func + (a: Tensor, s: Double) throws -> Tensor { try a.binary(CT_ADD, s) }
    public static func - (a: Tensor, s: Double) throws -> Tensor { try a.binary(CT_SUB, s) }
    public static func * (a: Tensor, s: Double) throws -> Tensor { try a.binary(CT_MUL, s) }
    public static func / (a: Tensor, s: Double) throws -> Tensor { try a.binary(CT_DIV, s) }
    public static func + (s: Double, a: Tensor) throws -> Tensor { try a.binary(CT_ADD, s) }
    public static func - (s: Double, a: Tensor) throws -> Tensor { try a.binary(CT_RSUB, s) }
    public static func * (s: Double, a: Tensor) throws -> Tensor { try a.binary(CT_MUL, s) }
    public static func / (s: Double, a: Tensor) throws -> Tensor { try a.binary(CT_RDIV, s) }
}

/// In-place updates for optimisers and state loading. They bypass autograd's graph building only when
/// called under `withNoGrad`, which is how every caller in this package uses them.
extension Tensor {
    public func addInPlace(_ other: Tensor, alpha: Double = 1) throws { try check(ct_inplace(Int32(CT_IP_ADD.rawValue), raw, other.raw, alpha)) }
    public func mulInPlace(_ other: Tensor) throws { try check(ct_inplace(Int32(CT_IP_MUL.rawValue), raw, other.raw, 1)) }
    public func copyInPlace(_ other: Tensor) throws { try check(ct_inplace(Int32(CT_IP_COPY.rawValue), raw, other.raw, 1)) }
    /// self += weight * (other - self)
    public func lerpInPlace(_ other: Tensor, weight: Double) throws { try check(ct_inplace(Int32(CT_IP_LERP.rawValue), raw, other.raw, weight)) }
    public func addInPlace(_ s: Double) throws { try check(ct_inplace_scalar(Int32(CT_IP_ADD.rawValue), raw, s)) }
    public func mulInPlace(_ s: Double) throws { try check(ct_inplace_scalar(Int32(CT_IP_MUL.rawValue), raw, s)) }
    public func fillInPlace(_ s: Double) throws { try check(ct_inplace_scalar(Int32(CT_IP_COPY.rawValue), raw, s)) }
    /// self += value * a * b
    public func addcmulInPlace(_ a: Tensor, _ b: Tensor, value: Double) throws { try check(ct_addcmul_(raw, a.raw, b.raw, value)) }
    /// self += value * a / b
    public func addcdivInPlace(_ a: Tensor, _ b: Tensor, value: Double) throws { try check(ct_addcdiv_(raw, a.raw, b.raw, value)) }
}
