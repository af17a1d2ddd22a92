package io.cairn.server;

import static java.util.Objects.requireNonNull;

import io.cairn.common.ByteSize;
import io.cairn.server.cluster.ClusterConfig;
import io.cairn.server.files.FilesConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything one node needs to start. Built once by the {@code server} command from flags and an
 * optional config file; each module receives only its own part.
 *
 * @param nodeId this node's id (> 0)
 * @param dataDir where this node keeps chunks, metadata and temporary files
 * @param bindHost address the servers bind to
 * @param advertiseHost address other nodes and clients use to reach this node
 * @param httpPort public HTTP port (web UI, REST, seed routes, metrics)
 * @param internalPort node-to-node chunk and heartbeat port
 * @param raftPort Raft port
 * @param peers every Raft voter: id -> host:raftPort (must include this node)
 * @param masterKeyFile cluster master key; every node of a cluster must hold the same key
 * @param capacity bytes of chunk data this node accepts
 * @param zone failure-domain label ("" when none)
 * @param maxUploadBytes largest single upload accepted
 * @param electionTimeoutMin Raft election timeout, lower bound
 * @param electionTimeoutMax Raft election timeout, upper bound
 * @param files data-path settings
 * @param cluster membership and upkeep settings
 * @param parentPid when > 0, stop this node when that process exits (used by {@code cairn up})
 */
public record NodeConfig(
    int nodeId,
    Path dataDir,
    String bindHost,
    String advertiseHost,
    int httpPort,
    int internalPort,
    int raftPort,
    Map<Integer, String> peers,
    Path masterKeyFile,
    ByteSize capacity,
    String zone,
    long maxUploadBytes,
    Duration electionTimeoutMin,
    Duration electionTimeoutMax,
    FilesConfig files,
    ClusterConfig cluster,
    long parentPid) {
  public NodeConfig {
    requireNonNull(dataDir, "dataDir");
    requireNonNull(masterKeyFile, "masterKeyFile");
    peers = Map.copyOf(new TreeMap<>(peers));
    zone = zone == null ? "" : zone;
    if (nodeId <= 0) {
      throw new IllegalArgumentException("node id must be > 0, was " + nodeId);
    }
    if (!peers.containsKey(nodeId)) {
      throw new IllegalArgumentException("--peers " + peers + " must include this node (" + nodeId + ")");
    }
    for (int port : new int[] {httpPort, internalPort, raftPort}) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
    }
  }

  public String httpAddress() {
    return "http://" + advertiseHost + ":" + httpPort;
  }

  public String internalAddress() {
    return "http://" + advertiseHost + ":" + internalPort;
  }

  public String raftAddress() {
    return advertiseHost + ":" + raftPort;
  }
}
