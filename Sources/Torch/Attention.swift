/// Multi-head attention with PyTorch's `nn.MultiheadAttention` parameter layout (packed in-projection),
/// batch-first [B, L, E].
public final class MultiheadAttention: Module {
    public let inProjWeight: Tensor  // [3E, E]
    public let inProjBias: Tensor  // [3E]
    public let outProj: Linear
    let heads: Int

    public init(embedDim: Int, heads: Int) throws {
        precondition(embedDim % heads == 0, "embedDim must divide into heads")
        inProjWeight = try defaultInit([3 * embedDim, embedDim], fanIn: embedDim)
        inProjBias = try Tensor.zeros([3 * embedDim]).requiringGrad()
        outProj = try Linear(embedDim, embedDim)
        self.heads = heads
        super.init()
    }

    public func callAsFunction(query: Tensor, key: Tensor, value: Tensor, mask: Tensor? = nil) throws -> Tensor {
        let e = inProjWeight.size(1)
        let w = try inProjWeight.split([e, e, e], dim: 0), b = try inProjBias.split([e, e, e], dim: 0)
        // [B, L, E] -> [B, heads, L, E/heads]
        func heads(_ x: Tensor, _ i: Int) throws -> Tensor {
            let y = try F.linear(x, weight: w[i], bias: b[i])
            return try y.reshape([y.size(0), y.size(1), self.heads, e / self.heads]).transpose(1, 2)
        }
        let attended = try F.scaledDotProductAttention(heads(query, 0), heads(key, 1), heads(value, 2), mask: mask)
        let merged = try attended.transpose(1, 2).reshape([query.size(0), query.size(1), e])  // [B, L, E]
        return try outProj(merged)
    }
}
