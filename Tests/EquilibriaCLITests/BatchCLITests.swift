import Foundation
import Testing
import _EquilibriaTestSupport

/// The batch command end to end: interrupted by `kill -9` and resumed, and run as a real Slurm
/// job array through `deploy/batch.sbatch`.
/// Runs `command` with bash (see `Subprocess`: its own process group, killed after `seconds`,
/// reaped with `waitpid`, output through a file) and returns its exit status and combined output.
func boundedShell(_ command: String, environment: [String: String]? = nil, directory: URL? = nil,
                  timeout seconds: Int) throws -> (Int32, String) {
    let run = try Subprocess.shell(command, environment: environment, directory: directory, timeout: .seconds(seconds))
    if run.timedOut { Issue.record("timed out after \(seconds) s: \(command)\n\(run.stdout)") }
    return (run.status, run.stdout)
}

@Suite(.serialized) struct BatchCLITests {
    static let batchArguments = ["--family", "l2", "--players", "2", "--actions", "3", "--seed", "4", "--concept", "ce"]

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("batch-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func merged(_ directories: [URL], into url: URL) throws -> Data {
        let result = try CLI.run(["merge"] + directories.map(\.path) + ["--out", url.path])
        #expect(result.status == 0, "\(result.stderr)")
        return try Data(contentsOf: url)
    }

    /// A run killed with SIGKILL mid-way and rerun with the same command ends with the same
    /// archive as an uninterrupted run.
    @Test func killedRunResumesToTheSameArchive() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let reference = root.appendingPathComponent("reference")
        let interrupted = root.appendingPathComponent("interrupted")
        let args = Self.batchArguments + ["--count", "600", "--chunk-size", "20", "--jobs", "2"]
        #expect(try CLI.run(["batch"] + args + ["--out", reference.path], timeout: .seconds(600)).status == 0)

        let binary = try #require(CLI.executable)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["batch"] + args + ["--out", interrupted.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait for a few chunks, then kill without warning.
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let chunks = (try? FileManager.default.contentsOfDirectory(atPath: interrupted.path))?
                .filter { $0.hasPrefix("chunk-") }.count ?? 0
            if chunks >= 3 || !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.01)
        }
        let killedMidway = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let before = try FileManager.default.contentsOfDirectory(atPath: interrupted.path).filter { $0.hasPrefix("chunk-") }
        #expect(killedMidway && before.count < 30, "the run finished before it could be interrupted")

        let resumed = try CLI.run(["batch"] + args + ["--out", interrupted.path], timeout: .seconds(600))
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("already complete"))
        let a = try merged([reference], into: root.appendingPathComponent("a.npz"))
        let b = try merged([interrupted], into: root.appendingPathComponent("b.npz"))
        #expect(a == b)
    }

    /// `deploy/batch.sbatch` as a real job array on a single-node Slurm started by the test
    /// (Debian's slurm-wlm and munge, `Tests/slurm/local-cluster.sh`): three array tasks write three
    /// shards, which merge to exactly the archive of one unsharded run. Needs root to start the
    /// daemons: as root, a cluster that cannot start fails the test; only without root are the
    /// array variables emulated, and the test says so.
    @Test func sbatchJobArrayMergesToTheUnshardedArchive() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let binary = try #require(CLI.executable)
        let script = CLI.packageRoot.appendingPathComponent("deploy/batch.sbatch").path
        let arguments = (Self.batchArguments + ["--count", "45", "--chunk-size", "5"]).joined(separator: " ")
        let out = root.appendingPathComponent("out")
        var environment = ProcessInfo.processInfo.environment
        environment["EQUILIBRIA_BIN"] = binary.path
        environment["EQUILIBRIA_OUT"] = out.path
        environment["EQUILIBRIA_BATCH_ARGS"] = arguments

        func shell(_ command: String, environment: [String: String], timeout: Int = 600) throws -> (Int32, String) {
            try boundedShell(command, environment: environment, directory: root, timeout: timeout)
        }

        // A real cluster when this machine can run one (root, Debian packages, daemons allowed);
        // otherwise the same script with the variables Slurm would set for each task, saying why.
        let emulationReason: String? = getuid() == 0 ? nil : "Slurm needs root here"
        let cluster = CLI.packageRoot.appendingPathComponent("Tests/slurm/local-cluster.sh").path
        if emulationReason == nil {
            // As root the real cluster must run: a failure to start it fails the test.
            let (started, log) = try shell("bash \(cluster) start", environment: environment, timeout: 1200)
            guard started == 0 else {
                Issue.record("a local Slurm could not be started (exit \(started)): \(log)")
                return
            }
        }
        if emulationReason == nil {
            defer { _ = try? shell("bash \(cluster) stop", environment: environment, timeout: 60) }
            let (status, output) = try shell("sbatch --wait --array=0-2 --cpus-per-task=1 \(script)",
                                             environment: environment, timeout: 600)
            #expect(status == 0, "sbatch failed: \(output)")
        } else {
            print("\(emulationReason!); emulating the job array's variables instead")
            for task in 0..<3 {
                var env = environment
                env["SLURM_ARRAY_TASK_ID"] = "\(task)"
                env["SLURM_ARRAY_TASK_COUNT"] = "3"
                env["SLURM_ARRAY_TASK_MIN"] = "0"
                let (status, output) = try shell("bash \(script)", environment: env)
                #expect(status == 0, "task \(task): \(output)")
            }
        }
        let shards = (0..<3).map { out.appendingPathComponent("shard-\($0)") }
        for shard in shards {
            let chunks = try FileManager.default.contentsOfDirectory(atPath: shard.path).filter { $0.hasPrefix("chunk-") }
            #expect(chunks.count == 3, "\(shard.lastPathComponent) has \(chunks.count) chunks")
        }
        let whole = root.appendingPathComponent("whole")
        #expect(try CLI.run(["batch"] + Self.batchArguments + ["--count", "45", "--chunk-size", "5", "--out", whole.path]).status == 0)
        let a = try merged(shards, into: root.appendingPathComponent("a.npz"))
        let b = try merged([whole], into: root.appendingPathComponent("b.npz"))
        #expect(a == b)
    }
}

/// Running out of space: the batch stops with a clear one-line error, leaves no partial file, and
/// keeps every chunk already written; the rerun after space is freed completes the archive.
@Suite(.serialized) struct BatchFullDiskTests {
    func bash(_ command: String) throws -> (Int32, String) {
        try boundedShell(command, timeout: 600)
    }

    /// A file-size limit (RLIMIT_FSIZE, with SIGXFSZ ignored) makes every write past 256 KB fail
    /// with EFBIG, as a full disk would with ENOSPC: available without root. A 300-game chunk is ~0.9 MB.
    @Test func fileSizeLimitIsAClearError() throws {
        let binary = try #require(CLI.executable)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("out").path
        let (status, output) = try bash(
            "trap '' XFSZ; ulimit -f 256; \(binary.path) batch --family l2 --players 2 --actions 8 --count 600 "
            + "--chunk-size 300 --objective max-welfare --out \(out)")
        #expect(status != 0 && status < 128, "exit \(status): \(output)")
        let errorLines = output.split(separator: "\n").filter { $0.hasPrefix("Error:") }
        #expect(errorLines.count == 1 && errorLines[0].contains("chunk-000000.npz"), "\(output)")
        let left = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(!left.contains { $0.hasSuffix(".partial") || $0.hasPrefix(".chunk") }, "\(left)")
    }

    /// A real full file system (a 1.8 MB tmpfs, mounted as root): the first chunk (0.76 MB) is
    /// written, the second does not fit; the error names it, the first survives intact, and once
    /// space is freed the same command finishes and matches an unconstrained run.
    @Test func fullTmpfsKeepsWhatWasWritten() throws {
        guard getuid() == 0 else {
            // Mounting needs root; the file-size-limit test above covers the error path.
            print("not root: the tmpfs variant of the full-disk test needs root")
            return
        }
        let binary = try #require(CLI.executable)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tmpfs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer {
            _ = try? bash("umount \(root.path)/disk 2>/dev/null")
            try? FileManager.default.removeItem(at: root)
        }
        let disk = root.appendingPathComponent("disk").path
        let (mounted, log) = try bash("mkdir -p \(disk) && mount -t tmpfs -o size=1800k tmpfs \(disk)")
        guard mounted == 0 else {
            // Root without CAP_SYS_ADMIN (an unprivileged container) cannot mount either.
            print("tmpfs could not be mounted (\(log.trimmingCharacters(in: .whitespacesAndNewlines))); "
                  + "the file-size-limit test covers the error path")
            return
        }
        let args = "batch --family l2 --players 2 --actions 8 --count 1000 --chunk-size 250 --objective max-welfare --seed 2"
        let (status, output) = try bash("\(binary.path) \(args) --out \(disk)/out")
        #expect(status != 0 && status < 128, "exit \(status): \(output)")
        #expect(output.contains("No space left") || output.contains("cannot write"), "\(output)")
        let written = try FileManager.default.contentsOfDirectory(atPath: "\(disk)/out").filter { $0.hasPrefix("chunk-") }.sorted()
        #expect(!written.isEmpty && written.count < 4)
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: "\(disk)/out")).contains { $0.hasSuffix(".partial") })
        // Free space: move the finished chunks out, remount bigger, put them back, resume.
        let (moved, moveLog) = try bash("mkdir -p \(root.path)/keep && cp -a \(disk)/out \(root.path)/keep/ && umount \(disk) "
                                        + "&& mount -t tmpfs -o size=20m tmpfs \(disk) && cp -a \(root.path)/keep/out \(disk)/")
        try #require(moved == 0, "\(moveLog)")
        let (resumed, resumeLog) = try bash("\(binary.path) \(args) --out \(disk)/out")
        #expect(resumed == 0, "\(resumeLog)")
        #expect(resumeLog.contains("already complete"))
        let (reference, referenceLog) = try bash("\(binary.path) \(args) --out \(root.path)/reference")
        #expect(reference == 0, "\(referenceLog)")
        for c in 0..<4 {
            let name = "chunk-00000\(c).npz"
            #expect(FileManager.default.contents(atPath: "\(disk)/out/\(name)") == FileManager.default.contents(atPath: "\(root.path)/reference/\(name)"))
        }
    }
}

/// The harness the tests above rely on: a child that outlives its shell while holding the output
/// must not block the test (the cause of a CI hang), and a command past its timeout is killed
/// with its whole process group.
@Suite struct SubprocessTests {
    @Test func backgroundChildHoldingTheOutputDoesNotBlock() throws {
        let run = try Subprocess.shell("sleep 20 & echo started", timeout: .seconds(60))
        #expect(run.status == 0 && !run.timedOut)
        #expect(run.stdout == "started\n")
        #expect(run.elapsed < .seconds(10), "waited \(run.elapsed)")
    }

    @Test func timeoutKillsTheProcessGroup() throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("subprocess-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: marker) }
        // The grandchild would write the marker after 3 s if the group were not killed at 1 s.
        let run = try Subprocess.shell("(sleep 3; touch \(marker.path)) & sleep 30", timeout: .seconds(1))
        #expect(run.timedOut && run.signaled && run.status == 128 + SIGKILL)
        #expect(run.elapsed < .seconds(10))
        Thread.sleep(forTimeInterval: 4)
        #expect(!FileManager.default.fileExists(atPath: marker.path), "a child survived the timeout")
    }
}

/// `batch --certify` through the command line: each objective's certificate keys appear, and
/// only that objective's.
@Suite struct BatchCertifyCLITests {
    @Test func certifyAddsItsKeysOrIsRefused() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("certify-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let args = ["batch", "--family", "l2", "--players", "2", "--actions", "3", "--count", "4",
                    "--objective", "max-welfare", "--certify", "--out", out.path]
        #expect(try CLI.run(args).status == 0)
        let merged = out.appendingPathComponent("all.npz")
        #expect(try CLI.run(["merge", out.path, "--out", merged.path]).status == 0)
        // The entry names are stored as plain text in the zip directory.
        let bytes = try Data(contentsOf: merged)
        for key in ["mw_certified.npy", "mw_certificate.npy", "mw_objective_bounds.npy", "mw_joint_error.npy"] {
            #expect(bytes.range(of: Data(key.utf8)) != nil, "\(key)")
        }
        #expect(bytes.range(of: Data("me_kl_bound.npy".utf8)) == nil)
        let mwmre = out.path + "-me"
        defer { try? FileManager.default.removeItem(atPath: mwmre) }
        #expect(try CLI.run(["batch", "--family", "l2", "--players", "2", "--actions", "3", "--count", "4",
                             "--objective", "mwmre", "--certify", "--out", mwmre]).status == 0)
        let mergedME = URL(fileURLWithPath: mwmre).appendingPathComponent("all.npz")
        #expect(try CLI.run(["merge", mwmre, "--out", mergedME.path]).status == 0)
        let meBytes = try Data(contentsOf: mergedME)
        for key in ["me_kl_bound.npy", "me_kl_joint_error.npy", "me_kl_note.npy"] {
            #expect(meBytes.range(of: Data(key.utf8)) != nil, "\(key)")
        }
        #expect(meBytes.range(of: Data("mw_certified.npy".utf8)) == nil)
    }
}
