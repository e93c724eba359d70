import CTorch

/// Gathering and scattering by index tensors.
extension Tensor {
    public func indexSelect(dim: Int, _ index: Tensor) throws -> Tensor { try Tensor.wrap(ct_index_select(raw, Int64(dim), index.raw)) }
    public func gather(dim: Int, _ index: Tensor) throws -> Tensor { try Tensor.wrap(ct_gather(raw, Int64(dim), index.raw)) }

    /// A copy with `src` written at `index` along `dim` (summed when `add`).
    public func scatter(dim: Int, _ index: Tensor, _ src: Tensor, add: Bool = false) throws -> Tensor {
        try Tensor.wrap(ct_scatter(raw, Int64(dim), index.raw, src.raw, add ? 1 : 0))
    }

    /// The elements where `mask` is true, flattened.
    public func maskedSelect(_ mask: Tensor) throws -> Tensor { try Tensor.wrap(ct_masked_select(raw, mask.raw)) }

    /// Advanced indexing `self[i0, i1, ...]`; nil leaves a dimension whole. A bool tensor indexes by mask.
    public func index(_ indices: [Tensor?]) throws -> Tensor {
        let raws: [OpaquePointer?] = indices.map { $0?.raw }
        return try Tensor.wrap(ct_index_tensor(raw, raws, Int32(raws.count)))
    }

    /// A copy with `values` written at `self[i0, i1, ...]` (summed when `accumulate`).
    public func indexPut(_ indices: [Tensor?], _ values: Tensor, accumulate: Bool = false) throws -> Tensor {
        let raws: [OpaquePointer?] = indices.map { $0?.raw }
        return try Tensor.wrap(ct_index_put(raw, raws, Int32(raws.count), values.raw, accumulate ? 1 : 0))
    }

    /// Coordinates of non-zero elements, [N, rank] int64.
    public func nonzero() throws -> Tensor { try Tensor.wrap(ct_nonzero(raw)) }

    public func oneHot(classes: Int) throws -> Tensor { try Tensor.wrap(ct_one_hot(raw, Int64(classes))) }
}
