import Foundation
import NormalFormGames
import Testing
import _EquilibriaTestSupport

/// The deviation-gain matrix written straight from docs/reference.md §1, dense, for comparison.
enum GainReference {
    /// Canonical row order: player ascending; CCE then deviation ascending; CE then recommended
    /// ascending, then deviation ascending with deviation ≠ recommended.
    static func rows(_ concept: EquilibriumConcept, shape: [Int]) -> [DeviationRow] {
        var rows: [DeviationRow] = []
        for p in 0..<shape.count {
            switch concept {
            case .coarseCorrelated:
                for k in 0..<shape[p] { rows.append(DeviationRow(player: p, recommended: nil, deviation: k)) }
            case .correlated:
                for r in 0..<shape[p] {
                    for k in 0..<shape[p] where k != r {
                        rows.append(DeviationRow(player: p, recommended: r, deviation: k))
                    }
                }
            }
        }
        return rows
    }

    /// A(row, a): CCE G_p(k, a_-p) − G_p(a); CE [a_p = r]·(G_p(k, a_-p) − G_p(a)).
    static func dense(_ concept: EquilibriumConcept, shape: [Int], payoffs: [Rational]) -> [[Rational]] {
        let joint = shape.reduce(1, *)
        let all = Layout.allJointActions(shape)
        return rows(concept, shape: shape).map { row in
            all.map { a -> Rational in
                if let r = row.recommended, a[row.player] != r { return .zero }
                var deviated = a
                deviated[row.player] = row.deviation
                return payoffs[row.player * joint + Layout.index(deviated, shape: shape)]
                    - payoffs[row.player * joint + Layout.index(a, shape: shape)]
            }
        }
    }

    /// The sparse matrix as dense rows; records an issue if a row repeats a column.
    static func dense<S: GainScalar>(_ gains: DeviationGains<S>, zero: S) -> [[S]] {
        (0..<gains.rowCount).map { i in
            var row = [S](repeating: zero, count: gains.jointActionCount)
            var seen = Set<Int>()
            for (column, value) in gains.entries(ofRow: i) {
                if !seen.insert(column).inserted { Issue.record("row \(i) repeats column \(column)") }
                row[column] = value
            }
            return row
        }
    }
}

@Suite("DeviationGains")
struct DeviationGainsTests {
    static let shapes: [[Int]] = [[2, 2], [3, 2], [2, 3, 4], [1, 3], [4], [2, 2, 2], [3, 1, 2, 2], [5, 5]]

    /// Row counts are CE Σ n_p(n_p − 1) and CCE Σ n_p, computed here by hand per shape, and
    /// rows come in the canonical order of docs/reference.md §1.
    @Test(arguments: shapes)
    func rowCountsAndCanonicalOrder(_ shape: [Int]) {
        let game = TestGames.integer(shape, range: -5...5, seed: 3)
        let ceCount = shape.map { $0 * ($0 - 1) }.reduce(0, +)
        let cceCount = shape.reduce(0, +)
        let ce = game.exactDeviationGains(.correlated)
        let cce = game.exactDeviationGains(.coarseCorrelated)
        #expect(ce.rowCount == ceCount)
        #expect(cce.rowCount == cceCount)
        #expect(DeviationGains<Rational>.rowCount(concept: .correlated, actionCounts: shape) == ceCount)
        #expect(DeviationGains<Double>.rowCount(concept: .coarseCorrelated, actionCounts: shape) == cceCount)
        #expect(ce.rows == GainReference.rows(.correlated, shape: shape))
        #expect(cce.rows == GainReference.rows(.coarseCorrelated, shape: shape))
        #expect(ce.rowStart.count == ceCount + 1)
        #expect(ce.jointActionCount == shape.reduce(1, *))
    }

    /// Explicit small cases of the canonical order: a 3-action player's CE rows are
    /// 1→2, 1→3, 2→1, 2→3, 3→1, 3→2 (1-based), then the next player's.
    @Test func canonicalOrderSpelledOut() {
        let game = TestGames.integer([3, 2], range: 0...3, seed: 5)
        let ce = game.deviationGains(.correlated).rows.map(\.description)
        #expect(ce == ["p1: 1->2", "p1: 1->3", "p1: 2->1", "p1: 2->3", "p1: 3->1", "p1: 3->2",
                       "p2: 1->2", "p2: 2->1"])
        let cce = game.deviationGains(.coarseCorrelated).rows.map(\.description)
        #expect(cce == ["p1: ->1", "p1: ->2", "p1: ->3", "p2: ->1", "p2: ->2"])
    }

    /// A hand-computed 2x2 (prisoner's dilemma, G1 = [[3,0],[5,1]], G2 = G1ᵀ), columns in the
    /// order (1,1), (1,2), (2,1), (2,2). E.g. CE row p1: 1→2 at (1,1) is G1(2,1) − G1(1,1) = 5 − 3.
    @Test func handComputedTwoByTwo() throws {
        let game = try NormalFormGame(actionCounts: [2, 2], payoffs: [3, 0, 5, 1, 3, 5, 0, 1])
        let ce = GainReference.dense(game.deviationGains(.correlated), zero: 0.0)
        #expect(ce == [
            [2, 1, 0, 0],  // p1: 1->2
            [0, 0, -2, -1],  // p1: 2->1
            [2, 0, 1, 0],  // p2: 1->2
            [0, -2, 0, -1],  // p2: 2->1
        ])
        let cce = GainReference.dense(game.deviationGains(.coarseCorrelated), zero: 0.0)
        #expect(cce == [
            [0, 0, -2, -1],  // p1: ->1
            [2, 1, 0, 0],  // p1: ->2
            [0, -2, 0, -1],  // p2: ->1
            [2, 0, 1, 0],  // p2: ->2
        ])
        // Under (2,2) with probability 1 every gain is ≤ 0: it is a CE (and a CCE).
        let sigma = [0.0, 0, 0, 1]
        #expect(game.deviationGains(.correlated).expectedGains(sigma) == [0, -1, 0, -1])
        #expect(game.maximumGains(.correlated, sigma: sigma) == [0, 0])
        #expect(game.expectedPayoffs(sigma) == [1, 1])
    }

    /// On random exact games of several shapes (2x2x2 among them), the sparse matrix equals the
    /// dense definition computed in the test, for both concepts, over rationals and doubles.
    @Test(arguments: shapes)
    func matchesDefinition(_ shape: [Int]) {
        for seed in UInt64(1)...3 {
            let game = TestGames.decimal(shape, seed: seed)
            let exact = game.exactPayoffs!
            for concept in EquilibriumConcept.allCases {
                let expected = GainReference.dense(concept, shape: shape, payoffs: exact)
                #expect(GainReference.dense(game.exactDeviationGains(concept), zero: Rational.zero) == expected)
                let doubles = GainReference.dense(game.deviationGains(concept), zero: 0.0)
                for (i, row) in expected.enumerated() {
                    for (a, value) in row.enumerated() {
                        // Each double gain is the difference of two doubles, within one rounding.
                        #expect(abs(doubles[i][a] - value.doubleValue) <= 1e-12)
                    }
                }
            }
        }
    }

    /// Expected gains Σ_a σ(a) A(row, a) equal the dense product computed here, exactly, for
    /// random rational σ.
    @Test(arguments: [[2, 2, 2], [3, 2], [2, 3, 4]])
    func expectedGainsMatchDenseProduct(_ shape: [Int]) {
        var rng = SplitMix64(seed: 99)
        let game = TestGames.integer(shape, range: -7...7, seed: 13)
        let joint = game.jointActionCount
        let weights = (0..<joint).map { _ in Int.random(in: 0...5, using: &rng) }
        let total = max(weights.reduce(0, +), 1)
        let sigma = weights.map { Rational($0, total) }
        for concept in EquilibriumConcept.allCases {
            let dense = GainReference.dense(concept, shape: shape, payoffs: game.exactPayoffs!)
            let expected = dense.map { row in zip(row, sigma).reduce(Rational.zero) { $0 + $1.0 * $1.1 } }
            #expect(game.exactDeviationGains(concept).expectedGains(sigma) == expected)
            let doubles = game.deviationGains(concept).expectedGains(sigma.map(\.doubleValue))
            for (d, e) in zip(doubles, expected) { #expect(abs(d - e.doubleValue) <= 1e-12) }
        }
    }

    /// docs/reference.md §9, Gibson (2013): player 1 A:(1,0), B:(0,2), C:(−1,1) against a, b; player 2 all 0;
    /// σ = ½(A,a) + ¼(B,b) + ¼(C,b). By hand, player 1's CCE gains are: to A ½(1−1) + ¼(0−2) +
    /// ¼(0−1) = −3/4; to B ½(0−1) + ¼(2−2) + ¼(2−1) = −1/4; to C ½(−1−1) + ¼(1−2) + ¼(1−1) = −5/4.
    /// So the largest CCE gain is −1/4 and the CCE gap max(0, ·) is 0 (the §9 statement).
    /// CE gains: told A: →B −1/2, →C −1; told B: →A −1/2, →C −1/4; told C: →A −1/4, →B +1/4. So
    /// the CE gap is 1/4. Player 2's gains are all 0.
    @Test func gibsonGame() throws {
        let game = try NormalFormGame(actionCounts: [3, 2], payoffs: [1, 0, 0, 2, -1, 1, 0, 0, 0, 0, 0, 0])
        // Joint indices: (A,a) = 0, (B,b) = 3, (C,b) = 5.
        let sigma = [Rational(1, 2), 0, 0, Rational(1, 4), 0, Rational(1, 4)]
        let cce = game.exactDeviationGains(.coarseCorrelated).expectedGains(sigma)
        #expect(cce == [Rational(-3, 4), Rational(-1, 4), Rational(-5, 4), 0, 0])
        let ce = game.exactDeviationGains(.correlated).expectedGains(sigma)
        #expect(ce == [Rational(-1, 2), -1, Rational(-1, 2), Rational(-1, 4), Rational(-1, 4), Rational(1, 4), 0, 0])
        let doubleSigma = sigma.map(\.doubleValue)
        let cceMax = game.maximumGains(.coarseCorrelated, sigma: doubleSigma)
        let ceMax = game.maximumGains(.correlated, sigma: doubleSigma)
        #expect(cceMax == [-0.25, 0])
        #expect(max(0, cceMax[0]) == 0)  // the CCE gap of docs/reference.md §9
        #expect(ceMax == [0.25, 0])
    }

    /// docs/reference.md §9: with 2 actions per player, CCE row (p, k) equals CE row (p, 1−k → k) exactly,
    /// because the CCE row's entries at a_p = k are zero (deviating to what one plays).
    @Test(arguments: [[2, 2], [2, 2, 2], [2, 2, 2, 2]])
    func twoActionCCERowsAreCERows(_ shape: [Int]) {
        for seed in UInt64(1)...4 {
            let game = TestGames.decimal(shape, seed: seed)
            let ce = game.exactDeviationGains(.correlated)
            let cce = game.exactDeviationGains(.coarseCorrelated)
            let ceDense = GainReference.dense(ce, zero: Rational.zero)
            let cceDense = GainReference.dense(cce, zero: Rational.zero)
            #expect(ce.rowCount == cce.rowCount)
            for (i, row) in cce.rows.enumerated() {
                let match = ce.rows.firstIndex {
                    $0.player == row.player && $0.recommended == 1 - row.deviation && $0.deviation == row.deviation
                }
                guard let match else {
                    Issue.record("no CE row for \(row)")
                    continue
                }
                #expect(cceDense[i] == ceDense[match], "CCE \(row) vs CE \(ce.rows[match])")
            }
            let doubleCE = GainReference.dense(game.deviationGains(.correlated), zero: 0.0)
            let doubleCCE = GainReference.dense(game.deviationGains(.coarseCorrelated), zero: 0.0)
            #expect(Set(doubleCE) == Set(doubleCCE))
        }
    }
}
