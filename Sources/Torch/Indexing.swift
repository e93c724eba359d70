import CTorch

/// Gathering and scattering by index tensors.
extension Tensor {
    public func indexSelect(dim: Int, _ index: Tensor) throws -> Tensor { try Tensor.wrap(ct_index_select(raw, Int64(dim), index.raw)) }

    /// A copy with `src` written at `index` along `dim` (summed when `add`).
    public func scatter(dim: Int, _ index: Tensor, _ src: Tensor, add: Bool = false) throws -> Tensor {
        try Tensor.wrap(ct_scatter(raw, Int64(dim), index.raw, src.raw, add ? 1 : 0))
    }

    /// Advanced indexing `self[i0, i1, ...]`; nil leaves a dimension whole. A bool tensor indexes by mask.
    public func index(_ indices: [Tensor?]) throws -> Tensor {
        let raws: [OpaquePointer?] = indices.map { $0?.raw }
        return try Tensor.wrap(ct_index_tensor(raw, raws, Int32(raws.count)))
    }
}
