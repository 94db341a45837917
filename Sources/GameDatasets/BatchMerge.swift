public import Foundation
import NumPyFiles

/// Merges the chunks of one batch (from one directory or the directories of its shards) into a
/// single archive, refusing when a game is missing or appears twice.
public enum BatchMerge {
    /// Arrays that describe the batch rather than a game: copied once, checked equal everywhere.
    static let metadata: Set<String> = ["request", "family", "seed", "action_counts", "concept", "me_preset"]

    /// Merges and returns the number of games written.
    public static func merge(directories: [URL], to output: URL) throws(BatchError) -> Int {
        guard !directories.isEmpty else { throw BatchError("give at least one batch directory") }
        let (batch, chunkFiles) = try completeChunks(in: directories)
        let merged = try mergedArrays(batch, chunkFiles: chunkFiles)
        guard merged.first(where: { $0.name == "game_index" })?.array.int64s == (0..<batch.count).map(Int64.init) else {
            throw BatchError("the merged game indices are not 0..<\(batch.count)")
        }
        do {
            try NumPyArchive.write(merged, to: output)
        } catch {
            throw BatchError(error.description)
        }
        return batch.count
    }

    /// The batch the directories hold (one request, checked the same in each) and the file of
    /// every chunk, refusing duplicated, extra or missing chunks.
    private static func completeChunks(in directories: [URL]) throws(BatchError)
        -> (batch: BatchRequest, chunkFiles: [Int: URL])
    {
        var request: BatchRequest?
        var chunkFiles: [Int: URL] = [:]
        for directory in directories {
            let manifest = directory.appendingPathComponent("batch.json")
            guard let data = FileManager.default.contents(atPath: manifest.path),
                  let found = try? JSONDecoder().decode(BatchRequest.self, from: data) else {
                throw BatchError("\(directory.path): no readable batch.json (not a batch directory)")
            }
            do {
                try found.validate()
            } catch {
                throw BatchError("\(manifest.path): not a valid batch description (\(error.message))")
            }
            if let request, request != found {
                throw BatchError("\(directory.path) holds another batch than \(directories[0].path) (request "
                                 + "\(found.fingerprint) ≠ \(request.fingerprint): \(BatchRequest.differences(request, found)))")
            }
            request = found
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for name in names where name.hasPrefix("chunk-") && name.hasSuffix(".npz") {
                guard let c = Int(name.dropFirst(6).dropLast(4)) else { continue }
                if let other = chunkFiles[c] {
                    throw BatchError("chunk \(c) is in both \(other.deletingLastPathComponent().path) and \(directory.path) "
                                     + "(games duplicated); refusing to merge")
                }
                chunkFiles[c] = directory.appendingPathComponent(name)
            }
        }
        let batch = request!
        if let extra = chunkFiles.keys.first(where: { $0 < 0 || $0 >= batch.chunkCount }) {
            throw BatchError("chunk \(extra) lies beyond the batch's \(batch.count) games; refusing to merge")
        }
        // Counted, not listed: the chunk count comes from batch.json and may be huge. The first
        // five missing chunks lie among the first (files present + 5) indices.
        let missingCount = batch.chunkCount - chunkFiles.count
        if missingCount > 0 {
            let firstMissing = (0..<batch.chunkCount).lazy.filter { chunkFiles[$0] == nil }.prefix(5)
            let games = firstMissing.map { "\(batch.indices(ofChunk: $0))" }.joined(separator: ", ")
            throw BatchError("\(missingCount) of \(batch.chunkCount) chunks are missing (games \(games)"
                             + (missingCount > 5 ? ", …" : "") + "); refusing to merge an incomplete batch")
        }
        return (batch, chunkFiles)
    }

    /// Every chunk read and checked (stamp, game indices, the same arrays, one row per game, equal
    /// metadata), and the per-game arrays concatenated in chunk order.
    private static func mergedArrays(_ batch: BatchRequest, chunkFiles: [Int: URL]) throws(BatchError)
        -> [(name: String, array: NumPyArray)]
    {
        var parts: [String: [NumPyArray]] = [:]
        var order: [String] = []
        var fixed: [String: NumPyArray] = [:]
        for c in 0..<batch.chunkCount {
            let arrays: [String: NumPyArray]
            do {
                arrays = try NumPyArchive.read(chunkFiles[c]!)
            } catch {
                throw BatchError("\(error.description); rerun the batch to redo it")
            }
            try BatchJob.checkStamp(arrays, of: chunkFiles[c]!, request: batch)
            guard arrays["game_index"]?.int64s == batch.indices(ofChunk: c).map(Int64.init) else {
                throw BatchError("\(chunkFiles[c]!.path): its game indices are not those of chunk \(c)")
            }
            if order.isEmpty { order = arrays.keys.sorted() }
            guard Set(arrays.keys) == Set(order) else {
                throw BatchError("\(chunkFiles[c]!.path): its arrays differ from the other chunks'")
            }
            let games = batch.indices(ofChunk: c).count
            for (name, array) in arrays {
                if !metadata.contains(name), array.shape.first != games {
                    throw BatchError("\(chunkFiles[c]!.path): '\(name)' has shape \(array.shape), not \(games) rows "
                                     + "(one per game of the chunk)")
                }
                if metadata.contains(name) {
                    if let existing = fixed[name], existing != array {
                        throw BatchError("\(chunkFiles[c]!.path): '\(name)' differs from the other chunks'")
                    }
                    fixed[name] = array
                } else {
                    parts[name, default: []].append(array)
                }
            }
        }
        var merged: [(name: String, array: NumPyArray)] = []
        for name in order {
            if let array = fixed[name] {
                merged.append((name, array))
            } else {
                do {
                    merged.append((name, try NumPyArray.concatenated(parts[name]!)))
                } catch {
                    throw BatchError("cannot merge '\(name)': \(error.message)")
                }
            }
        }
        return merged
    }
}
