import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process of the campaign: standard output through a pipe the driver polls, standard
/// error to a file (read after a crash for the runtime's message), standard input /dev/null.
final class ChildProcess {
    let pid: pid_t
    let outputDescriptor: Int32
    let errorPath: String
    private(set) var exited = false
    private(set) var exitStatus: Int32 = 0
    private(set) var signal: Int32 = 0
    private var pending: [UInt8] = []
    private var endOfOutput = false

    /// Starts `executable` with `arguments` (argv[0] is added) and the environment plus `extra`.
    init(executable: String, arguments: [String], extraEnvironment: [String: String], errorPath: String) throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw SetupError(description: "pipe failed: \(String(cString: strerror(errno)))") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])

        var environment = ProcessInfo.processInfo.environment
        for (k, v) in extraEnvironment { environment[k] = v }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, nil, argv, envp)
        close(fds[1])
        guard rc == 0 else {
            close(fds[0])
            throw SetupError(description: "cannot start \(executable): \(String(cString: strerror(rc)))")
        }
        pid = child
        outputDescriptor = fds[0]
        self.errorPath = errorPath
        _ = fcntl(outputDescriptor, F_SETFL, fcntl(outputDescriptor, F_GETFL) | O_NONBLOCK)
    }

    deinit { close(outputDescriptor) }

    /// Reads what is available; returns complete lines. Sets `atEnd` at end of file.
    func readLines() -> [String] {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(outputDescriptor, &buffer, buffer.count)
            if n > 0 {
                pending.append(contentsOf: buffer[0..<n])
                continue
            }
            if n == 0 { endOfOutput = true }
            break
        }
        var lines: [String] = []
        while let newline = pending.firstIndex(of: 10) {
            lines.append(String(decoding: pending[0..<newline], as: UTF8.self))
            pending.removeSubrange(0...newline)
        }
        if endOfOutput && !pending.isEmpty {
            lines.append(String(decoding: pending, as: UTF8.self))
            pending.removeAll()
        }
        return lines
    }

    var atEnd: Bool { endOfOutput }

    func kill() { _ = Glibc.kill(pid, SIGKILL) }

    /// Waits for the child (after end of output or a kill).
    func wait() {
        guard !exited else { return }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        exited = true
        if status & 0x7f == 0 {
            exitStatus = (status >> 8) & 0xff
        } else {
            signal = status & 0x7f
            exitStatus = 128 + signal
        }
    }

    /// The runtime's last words: the fatal-error line or the crash line of the backtracer, and
    /// the first frames below it outside the campaign (where the trap is).
    func errorExcerpt() -> String {
        guard let text = try? String(contentsOfFile: errorPath, encoding: .utf8) else { return "" }
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        var parts: [String] = []
        if let fatal = lines.first(where: { $0.contains("Fatal error") || $0.contains("Precondition failed")
            || $0.contains("Assertion failed") }) {
            parts.append(fatal)
        }
        if let crashed = lines.first(where: { $0.hasPrefix("*** Program crashed") }) {
            parts.append(crashed.replacingOccurrences(of: "*", with: "").trimmingCharacters(in: .whitespaces))
        }
        // Backtrace frames: "N [flags] 0xADDR function + off in image at path:line:col".
        var frames: [String] = []
        for line in lines where line.first?.isNumber == true && line.contains(" in ") && line.contains("0x") {
            if line.contains("/Sources/Campaign/") { break }
            guard let addr = line.range(of: "0x") else { continue }
            var rest = String(line[addr.lowerBound...])
            if let space = rest.firstIndex(of: " ") { rest = String(rest[rest.index(after: space)...]) }
            var function = rest
            if let r = rest.range(of: " in ") { function = String(rest[..<r.lowerBound]) }
            if let plus = function.range(of: " + ", options: .backwards) { function = String(function[..<plus.lowerBound]) }
            if let at = rest.range(of: " at ", options: .backwards) {
                let location = rest[at.upperBound...].split(separator: "/").last.map(String.init) ?? ""
                if !location.hasPrefix("<compiler-generated>") { function += " (\(location))" }
            }
            frames.append(function)
            if frames.count == 3 { break }
        }
        if !frames.isEmpty { parts.append("in " + frames.joined(separator: " <- ")) }
        if parts.isEmpty { parts = Array(lines.filter { !$0.isEmpty }.suffix(2)) }
        return String(parts.joined(separator: "; ").prefix(700))
    }
}

/// Waits until one of the descriptors is readable, or the timeout passes.
func pollReadable(_ descriptors: [Int32], timeoutMilliseconds: Int32) -> Set<Int32> {
    var entries = descriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
    let rc = poll(&entries, nfds_t(entries.count), timeoutMilliseconds)
    guard rc > 0 else { return [] }
    return Set(entries.filter { $0.revents != 0 }.map(\.fd))
}

/// The path of the running executable.
func currentExecutablePath() -> String {
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
    return CommandLine.arguments[0]
}
