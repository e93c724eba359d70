import CTorch

/// Reshaping, joining and splitting.
extension Tensor {
    public func reshape(_ shape: [Int]) throws -> Tensor {
        let s = shape.map(Int64.init)
        return try Tensor.wrap(ct_reshape(raw, s, Int32(s.count)))
    }

    public func permute(_ dims: [Int]) throws -> Tensor {
        let d = dims.map(Int64.init)
        return try Tensor.wrap(ct_permute(raw, d, Int32(d.count)))
    }

    public func transpose(_ d0: Int, _ d1: Int) throws -> Tensor { try Tensor.wrap(ct_transpose(raw, Int64(d0), Int64(d1))) }

    public func expand(_ shape: [Int]) throws -> Tensor {
        let s = shape.map(Int64.init)
        return try Tensor.wrap(ct_expand(raw, s, Int32(s.count)))
    }

    public func squeeze(_ dim: Int) throws -> Tensor { try Tensor.wrap(ct_squeeze(raw, Int64(dim))) }
    public func unsqueeze(_ dim: Int) throws -> Tensor { try Tensor.wrap(ct_unsqueeze(raw, Int64(dim))) }

    public func flatten(from start: Int = 0, to end: Int = -1) throws -> Tensor {
        try Tensor.wrap(ct_flatten(raw, Int64(start), Int64(end)))
    }

    public func flip(_ dims: [Int]) throws -> Tensor {
        let d = dims.map(Int64.init)
        return try Tensor.wrap(ct_flip(raw, d, Int32(d.count)))
    }

    /// Elements `start..<end` (by `step`) along `dim`; negative bounds count from the end.
    public func slice(dim: Int, start: Int = 0, end: Int = Int.max, step: Int = 1) throws -> Tensor {
        try Tensor.wrap(ct_slice(raw, Int64(dim), Int64(start), Int64(clamping: end), Int64(step)))
    }

    /// Splits along `dim` into pieces of the given sizes (views, no copy).
    public func split(_ sizes: [Int], dim: Int) throws -> [Tensor] {
        var start = 0
        return try sizes.map { size in
            defer { start += size }
            return try slice(dim: dim, start: start, end: start + size)
        }
    }

    /// Constant padding; `pads` lists (before, after) pairs starting from the last dimension.
    public func padded(_ pads: [Int], value: Double = 0) throws -> Tensor {
        let p = pads.map(Int64.init)
        return try Tensor.wrap(ct_pad(raw, p, Int32(p.count), value))
    }

    public static func cat(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        let raws: [OpaquePointer?] = tensors.map { $0.raw }
        return try wrap(ct_cat(raws, Int32(raws.count), Int64(dim)))
    }

    public static func stack(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        let raws: [OpaquePointer?] = tensors.map { $0.raw }
        return try wrap(ct_stack(raws, Int32(raws.count), Int64(dim)))
    }
}
