import Foundation
import Synchronization

/// Runs `body(0..<count)` on worker threads (each pulls the next index) and returns the results in index order, so the output does not depend on the number of
/// threads.
public enum ParallelMap {
    public static func map<T: Sendable>(count: Int, jobs: Int, progress: (@Sendable (Int) -> Void)? = nil,
                                 _ body: @escaping @Sendable (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let box = Slots<T>(count: count)
        let workers = max(1, min(jobs, count))
        if workers == 1 {
            for k in 0..<count {
                let done = box.store(body(k), at: k)
                progress?(done)
            }
            return box.results()
        }
        let group = DispatchGroup()
        for _ in 0..<workers {
            group.enter()
            let thread = Thread {
                while let k = box.takeNext() {
                    let done = box.store(body(k), at: k)
                    progress?(done)
                }
                group.leave()
            }
            // The LP and Newton code recurse little, but GLPK likes a roomy stack.
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        return box.results()
    }
}

/// Result slots shared by the workers; each slot is written once, under the lock.
private final class Slots<T: Sendable>: Sendable {
    private struct State {
        var next = 0
        var done = 0
        var slots: [T?]
    }

    private let state: Mutex<State>

    init(count: Int) { state = Mutex(State(slots: Array(repeating: nil, count: count))) }

    func takeNext() -> Int? {
        state.withLock { s in
            guard s.next < s.slots.count else { return nil }
            s.next += 1
            return s.next - 1
        }
    }

    func store(_ value: T, at k: Int) -> Int {
        state.withLock { s in
            s.slots[k] = value
            s.done += 1
            return s.done
        }
    }

    func results() -> [T] {
        state.withLock { s in s.slots.map { $0! } }
    }
}
