import Foundation

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
private final class Slots<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var done = 0
    private var slots: [T?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func takeNext() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < slots.count else { return nil }
        next += 1
        return next - 1
    }

    func store(_ value: T, at k: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        slots[k] = value
        done += 1
        return done
    }

    func results() -> [T] {
        lock.lock()
        defer { lock.unlock() }
        return slots.map { $0! }
    }
}
