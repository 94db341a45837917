import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program for a test: its own process group, output to files, killed (the whole group)
/// after a timeout, and reaped here with `waitpid`.
///
/// Not Foundation's `Process`: once a test had started daemons (munged, slurmctld),
/// `Process.waitUntilExit` was seen to wait forever on a child that had already exited; and not
/// pipes, which a daemon inheriting them keeps open, so that reading to their end never returns.
public enum Subprocess {
    public struct Result: Sendable {
        /// The exit status, or 128 + the signal number when a signal ended the program (as a shell
        /// reports it).
        public var status: Int32
        /// Whether a signal ended the program (including the kill after a timeout).
        public var signaled: Bool
        public var timedOut: Bool
        public var stdout: String
        public var stderr: String
        public var elapsed: Duration
    }

    /// The package root, from this file's path: `Tests/_EquilibriaTestSupport/<file>` → up three.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `equilibria` executable, next to the test bundle (where `swift build --build-tests` puts
    /// both), else in the package's debug build folder.
    public static let equilibria: URL? = {
        var directories: [URL] = []
        if let main = Bundle.main.executableURL { directories.append(main.deletingLastPathComponent()) }
        if let first = CommandLine.arguments.first { directories.append(URL(fileURLWithPath: first).deletingLastPathComponent()) }
        for bundle in Bundle.allBundles { directories.append(bundle.bundleURL.deletingLastPathComponent()) }
        directories.append(packageRoot.appendingPathComponent(".build/debug"))
        for directory in directories {
            let candidate = directory.appendingPathComponent("equilibria")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        return nil
    }()

    /// Runs `program` (a path, or a name looked up in PATH) with `arguments`. Standard input is
    /// /dev/null; standard error goes to `stdout` too when `mergingOutput`.
    public static func run(_ program: String, _ arguments: [String], environment: [String: String]? = nil,
                           directory: URL? = nil, timeout: Duration, mergingOutput: Bool = false) throws -> Result {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("subprocess-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outPath = scratch.appendingPathComponent("stdout").path
        let errPath = scratch.appendingPathComponent("stderr").path

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if mergingOutput {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)

        func cStrings(_ strings: [String]) -> [UnsafeMutablePointer<CChar>?] { strings.map { strdup($0) } + [nil] }
        // Glibc's posix_spawn_file_actions_addchdir_np is not visible from Swift: coreutils' env
        // changes the directory instead, then execs the program.
        let command = directory.map { ["/usr/bin/env", "--chdir=\($0.path)", program] } ?? [program]
        let argv = cStrings(command + arguments)
        let envp = cStrings((environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" })
        defer { (argv + envp).forEach { free($0) } }

        let clock = ContinuousClock()
        let start = clock.now
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, command[0], &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            throw SubprocessError(message: "cannot start \(program): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        var timedOut = false
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { break }
            if reaped == -1 && errno != EINTR {
                throw SubprocessError(message: "waitpid for \(program): \(String(cString: strerror(errno)))")
            }
            if !timedOut && clock.now - start > timeout {
                timedOut = true
                kill(-pid, SIGKILL)
            }
            usleep(2_000)
        }
        let signal = status & 0x7f
        let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        return Result(status: signal == 0 ? (status >> 8) & 0xff : 128 + signal, signaled: signal != 0,
                      timedOut: timedOut, stdout: read(outPath), stderr: mergingOutput ? "" : read(errPath),
                      elapsed: clock.now - start)
    }

    /// Runs `command` with bash, standard error merged into `stdout`.
    public static func shell(_ command: String, environment: [String: String]? = nil, directory: URL? = nil,
                             timeout: Duration) throws -> Result {
        try run("/bin/bash", ["-c", command], environment: environment, directory: directory, timeout: timeout,
                mergingOutput: true)
    }
}

public struct SubprocessError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
