import CTorch

/// Reductions over some or all dimensions (`dims: []` reduces everything).
extension Tensor {
    func reduce(_ op: ct_reduce_op, _ dims: [Int], _ keepDim: Bool) throws -> Tensor {
        let d = dims.map(Int64.init)
        return try Tensor.wrap(ct_reduce(Int32(op.rawValue), raw, d, Int32(d.count), keepDim ? 1 : 0))
    }

    public func sum(dims: [Int] = [], keepDim: Bool = false) throws -> Tensor { try reduce(CT_SUM, dims, keepDim) }
    public func mean(dims: [Int] = [], keepDim: Bool = false) throws -> Tensor { try reduce(CT_MEAN, dims, keepDim) }
    public func amax(dims: [Int] = [], keepDim: Bool = false) throws -> Tensor { try reduce(CT_AMAX, dims, keepDim) }

    /// Euclidean norm of all elements.
    public func norm() throws -> Tensor { try (self * self).sum().sqrt() }

    public func argmax(dim: Int, keepDim: Bool = false) throws -> Tensor {
        try Tensor.wrap(ct_argmax(raw, Int64(dim), keepDim ? 1 : 0))
    }

    public func max(dim: Int, keepDim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        var v: OpaquePointer?, i: OpaquePointer?
        try check(ct_max_dim(raw, Int64(dim), keepDim ? 1 : 0, &v, &i))
        return (Tensor(owning: v!), Tensor(owning: i!))
    }

    /// A stable sort.
    public func sorted(dim: Int = -1, descending: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        var v: OpaquePointer?, i: OpaquePointer?
        try check(ct_sort(raw, Int64(dim), descending ? 1 : 0, &v, &i))
        return (Tensor(owning: v!), Tensor(owning: i!))
    }
}
