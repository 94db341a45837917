// The clocks and the percentile every benchmark of this package reports with.
import Foundation

/// CPU time of the calling thread, in seconds: robust to other load on a shared machine.
public func threadCPUTime() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// Monotonic wall-clock time, in seconds.
public func wallTime() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// The q-quantile of `values` (nearest rank), q in [0, 1].
public func percentile(_ values: [Double], _ q: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int(q * Double(sorted.count - 1) + 0.5))]
}
