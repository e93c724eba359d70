import Testing
@testable import Torch

/// Compares autograd's gradient of sum(f(x) * g) with central finite differences in float64.
func expectGradientsMatch(
    _ inputs: [[Int]], tolerance: Double = 1e-6, sourceLocation: SourceLocation = #_sourceLocation,
    _ f: ([Tensor]) throws -> Tensor
) throws {
    let xs = try inputs.map { try Tensor.randn($0, dtype: .float64).requiringGrad() }
    let out = try f(xs)
    let g = try Tensor.randn(out.shape, dtype: .float64)
    try (out * g).sum().backward()
    let h = 1e-6
    for (k, x) in xs.enumerated() {
        let analytic = try #require(x.grad, sourceLocation: sourceLocation).array(Double.self)
        let values = try x.array(Double.self)
        for i in values.indices {
            func probe(_ delta: Double) throws -> Double {
                var shifted = values
                shifted[i] += delta
                var args = try xs.map { try $0.detached() }
                args[k] = try Tensor(shifted, shape: x.shape)
                return try withNoGrad { try (f(args) * g).sum().item() }
            }
            let numeric = try (probe(h) - probe(-h)) / (2 * h)
            #expect(Swift.abs(numeric - analytic[i]) <= tolerance * Swift.max(1, Swift.abs(numeric)),
                    "input \(k) element \(i): numeric \(numeric) vs autograd \(analytic[i])", sourceLocation: sourceLocation)
        }
    }
}
