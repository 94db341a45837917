import Testing
@testable import ConvexOptimization

@Suite struct CholeskyTests {
    /// A = BᵀB + nI is symmetric positive definite; solving A x = b and multiplying back must give
    /// b (an independent check: the product is computed here, not by LAPACK).
    @Test(arguments: [1, 2, 7, 40]) func solvesSymmetricPositiveDefiniteSystems(n: Int) {
        var seed: UInt64 = 12345 &+ UInt64(n)
        func next() -> Double {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Double(seed >> 11) / Double(1 << 53) - 0.5
        }
        let b = (0..<n * n).map { _ in next() }
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                var s = i == j ? Double(n) : 0
                for k in 0..<n { s += b[k * n + i] * b[k * n + j] }
                a[j * n + i] = s
            }
        }
        let rhs = (0..<n).map { _ in next() }
        var factor = a
        #expect(Cholesky.factorize(&factor, n: n))
        var x = rhs
        Cholesky.solve(factor: factor, n: n, &x)
        for i in 0..<n {
            var s = 0.0
            for j in 0..<n { s += a[j * n + i] * x[j] }
            #expect(abs(s - rhs[i]) < 1e-12 * Double(n))
        }
    }

    /// An indefinite matrix is reported, not factorised.
    @Test func rejectsIndefiniteMatrices() {
        var a = [1.0, 2.0, 2.0, 1.0]
        #expect(!Cholesky.factorize(&a, n: 2))
    }
}

@Suite struct LBFGSBTests {
    /// Σ (x_i − c_i)² on the box [−1, 1]: the minimiser is clamp(c) (by hand).
    @Test func separableQuadraticConvergesToTheClampedPoint() {
        let c = [-3.0, -0.5, 0, 0.25, 2, 7]
        let result = LBFGSB().minimize(from: Array(repeating: 0.9, count: c.count),
                                       lower: Array(repeating: -1, count: c.count),
                                       upper: Array(repeating: 1, count: c.count)) { x, g in
            var f = 0.0
            for i in 0..<x.count {
                f += (x[i] - c[i]) * (x[i] - c[i])
                g[i] = 2 * (x[i] - c[i])
            }
            return f
        }
        let expected = c.map { min(1, max(-1, $0)) }
        for i in 0..<c.count { #expect(abs(result.x[i] - expected[i]) < 1e-9) }
        #expect(result.termination == .projectedGradient || result.termination == .relativeReduction)
    }

    /// Rosenbrock from (−1.2, 1), unconstrained: minimum at (1, 1), value 0.
    @Test func rosenbrock() {
        let result = LBFGSB().minimize(from: [-1.2, 1], lower: [nil, nil], upper: [nil, nil]) { x, g in
            let a = 1 - x[0], b = x[1] - x[0] * x[0]
            g[0] = -2 * a - 400 * x[0] * b
            g[1] = 200 * b
            return a * a + 100 * b * b
        }
        #expect(abs(result.x[0] - 1) < 1e-6 && abs(result.x[1] - 1) < 1e-6)
    }

    /// A lower bound above the upper bound is reported by the Fortran code as an error.
    @Test func inconsistentBoundsAreAnError() {
        let result = LBFGSB().minimize(from: [0], lower: [1], upper: [0]) { x, g in
            g[0] = 2 * x[0]
            return x[0] * x[0]
        }
        if case .error = result.termination {} else { Issue.record("expected an error, got \(result.termination)") }
    }

    /// The iteration limit is honoured.
    @Test func iterationLimit() {
        var solver = LBFGSB()
        solver.maximumIterations = 2
        solver.projectedGradientTolerance = 0
        solver.factr = 0
        let result = solver.minimize(from: [-1.2, 1], lower: [nil, nil], upper: [nil, nil]) { x, g in
            let a = 1 - x[0], b = x[1] - x[0] * x[0]
            g[0] = -2 * a - 400 * x[0] * b
            g[1] = 200 * b
            return a * a + 100 * b * b
        }
        #expect(result.termination == .iterationLimit)
        #expect(result.iterations <= 2)
    }
}
